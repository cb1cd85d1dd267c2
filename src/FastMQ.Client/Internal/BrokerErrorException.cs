using FastMQ.Protocol.Messages;

namespace FastMQ.Client.Internal;

/// <summary>The broker answered with a Kafka error code (for example TOPIC_ALREADY_EXISTS).</summary>
internal sealed class BrokerErrorException : ClientException
{
    public BrokerErrorException(ErrorCode errorCode, string context, string? brokerMessage = null)
        : base(Format(errorCode, context, brokerMessage))
    {
        ErrorCode = errorCode;
        BrokerMessage = brokerMessage;
    }

    public ErrorCode ErrorCode { get; }

    /// <summary>Kafka's name for the error, e.g. <c>UNKNOWN_TOPIC_OR_PARTITION</c>.</summary>
    public string ErrorName => KafkaErrorNames.Of(ErrorCode);

    /// <summary>The broker's own explanation, when the response carries one.</summary>
    public string? BrokerMessage { get; }

    private static string Format(ErrorCode errorCode, string context, string? brokerMessage) =>
        string.IsNullOrEmpty(brokerMessage)
            ? $"{context}: {KafkaErrorNames.Of(errorCode)} ({(short)errorCode})"
            : $"{context}: {KafkaErrorNames.Of(errorCode)} ({(short)errorCode}): {brokerMessage}";
}
