using FastMQ.Client.Internal;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client.Consuming;

/// <summary>
/// Versions of the group-membership APIs this consumer sends: the highest the broker offers up to the last
/// non-flexible version of each (JoinGroup 5, SyncGroup 3, Heartbeat 3, LeaveGroup 3), all of which carry
/// group.instance.id. The shared <see cref="ClientApis"/> table does not list these APIs, so the header version
/// (non-flexible) is fixed here by choosing only non-flexible versions.
/// </summary>
internal static class GroupApiVersions
{
    public static short JoinGroup(BrokerConnection c) => Choose(c, ApiKey.JoinGroup, JoinGroupRequest.FirstFlexibleVersion - 1);

    public static short SyncGroup(BrokerConnection c) => Choose(c, ApiKey.SyncGroup, SyncGroupRequest.FirstFlexibleVersion - 1);

    public static short Heartbeat(BrokerConnection c) => Choose(c, ApiKey.Heartbeat, HeartbeatRequest.FirstFlexibleVersion - 1);

    public static short LeaveGroup(BrokerConnection c) => Choose(c, ApiKey.LeaveGroup, LeaveGroupRequest.FirstFlexibleVersion - 1);

    private static short Choose(BrokerConnection connection, ApiKey apiKey, int clientMax)
    {
        foreach (ApiVersionRange r in connection.Versions.BrokerRanges)
        {
            if (r.ApiKey == apiKey)
            {
                short version = (short)System.Math.Min(r.MaxVersion, clientMax);
                if (version < r.MinVersion || version < 3)
                {
                    throw new BrokerProtocolException(
                        $"{connection.Endpoint} offers {apiKey} {r.MinVersion}-{r.MaxVersion}; this consumer needs a version 3-{clientMax}");
                }
                return version;
            }
        }
        throw new BrokerProtocolException($"{connection.Endpoint} does not offer {apiKey}: it cannot coordinate consumer groups");
    }
}
