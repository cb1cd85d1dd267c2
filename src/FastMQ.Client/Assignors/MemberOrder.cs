using System.Collections.Generic;

namespace FastMQ.Client.Assignors;

/// <summary>
/// The member order Kafka's Java assignors use (and librdkafka follows): static members first, by
/// group.instance.id, then dynamic members by member id; ordinal comparison (Java's String.compareTo on ASCII ids).
/// </summary>
internal sealed class MemberOrder : IComparer<AssignorMember>
{
    public static readonly MemberOrder Instance = new();

    public int Compare(AssignorMember? x, AssignorMember? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null)
        {
            return -1;
        }
        if (y is null)
        {
            return 1;
        }
        if (x.GroupInstanceId is not null && y.GroupInstanceId is not null)
        {
            return string.CompareOrdinal(x.GroupInstanceId, y.GroupInstanceId);
        }
        if (x.GroupInstanceId is not null)
        {
            return -1;
        }
        if (y.GroupInstanceId is not null)
        {
            return 1;
        }
        return string.CompareOrdinal(x.MemberId, y.MemberId);
    }
}
