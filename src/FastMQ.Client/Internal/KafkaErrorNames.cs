using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client.Internal;

/// <summary>
/// Kafka's names for error codes (UNKNOWN_TOPIC_OR_PARTITION …), for messages users can search for. Codes in
/// <see cref="ErrorCode"/> take their enum name in upper snake case; a few more that other Kafka brokers send are
/// listed here; anything else prints as <c>ERROR_&lt;code&gt;</c>.
/// </summary>
internal static class KafkaErrorNames
{
    private static readonly FrozenDictionary<short, string> Names = Build();

    public static string Of(ErrorCode code) =>
        Names.TryGetValue((short)code, out string? name)
            ? name
            : "ERROR_" + ((short)code).ToString(CultureInfo.InvariantCulture);

    /// <summary>Errors after which the same request may succeed once metadata is refreshed (leadership moved, topic being created).</summary>
    public static bool IsRetriableMetadataError(ErrorCode code) =>
        code is ErrorCode.LeaderNotAvailable or ErrorCode.NotLeaderOrFollower or ErrorCode.UnknownTopicOrPartition
            or ErrorCode.FencedLeaderEpoch or ErrorCode.UnknownLeaderEpoch;

    private static FrozenDictionary<short, string> Build()
    {
        var names = new Dictionary<short, string>();
        foreach (ErrorCode code in Enum.GetValues<ErrorCode>())
        {
            names[(short)code] = ToUpperSnake(code.ToString());
        }
        // Codes FastMQ does not send but Kafka brokers do, so errors from them read the same as Kafka's tools print them.
        names[8] = "BROKER_NOT_AVAILABLE";
        names[9] = "REPLICA_NOT_AVAILABLE";
        names[12] = "OFFSET_METADATA_TOO_LARGE";
        names[13] = "NETWORK_EXCEPTION";
        names[31] = "CLUSTER_AUTHORIZATION_FAILED";
        names[32] = "INVALID_TIMESTAMP";
        names[39] = "INVALID_REPLICA_ASSIGNMENT";
        names[41] = "NOT_CONTROLLER";
        names[43] = "UNSUPPORTED_FOR_MESSAGE_FORMAT";
        names[44] = "POLICY_VIOLATION";
        names[56] = "KAFKA_STORAGE_ERROR";
        names[59] = "UNKNOWN_PRODUCER_ID";
        names[73] = "TOPIC_DELETION_DISABLED";
        return names.ToFrozenDictionary();
    }

    private static string ToUpperSnake(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                sb.Append('_');
            }
            sb.Append(char.ToUpperInvariant(c));
        }
        return sb.ToString();
    }
}
