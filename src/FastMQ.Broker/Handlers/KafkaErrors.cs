using FastMQ.Protocol.Messages;
using FastMQ.Storage;

namespace FastMQ.Broker.Handlers;

/// <summary>Storage outcomes as Kafka error codes.</summary>
internal static class KafkaErrors
{
    public static ErrorCode FromAppend(AppendStatus status) => status switch
    {
        AppendStatus.Ok => ErrorCode.None,
        AppendStatus.CorruptMessage => ErrorCode.CorruptMessage,
        AppendStatus.TooLarge => ErrorCode.MessageTooLarge,
        AppendStatus.DiskFull => ErrorCode.KafkaStorageError,
        AppendStatus.IoError => ErrorCode.KafkaStorageError,
        _ => ErrorCode.NotLeaderOrFollower,
    };
}
