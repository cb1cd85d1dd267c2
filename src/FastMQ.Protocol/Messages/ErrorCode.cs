namespace FastMQ.Protocol.Messages;

/// <summary>Kafka error codes FastMQ sends or must recognise (values are fixed by the protocol).</summary>
/// <remarks>"Retriable" below follows the Java client: the client retries these on its own.</remarks>
public enum ErrorCode : short
{
    /// <summary>Unexpected failure.</summary>
    UnknownServerError = -1,
    None = 0,
    /// <summary>Fetch offset outside [log start, log end].</summary>
    OffsetOutOfRange = 1,
    /// <summary>Bad CRC or unreadable batch (retriable).</summary>
    CorruptMessage = 2,
    /// <summary>Missing topic or partition (retriable).</summary>
    UnknownTopicOrPartition = 3,
    InvalidFetchSize = 4,
    /// <summary>Topic just being created (retriable).</summary>
    LeaderNotAvailable = 5,
    /// <summary>Partition not led by this node (retriable).</summary>
    NotLeaderOrFollower = 6,
    /// <summary>Acks not met within the request timeout (retriable).</summary>
    RequestTimedOut = 7,
    /// <summary>Batch larger than the topic's maximum message size.</summary>
    MessageTooLarge = 10,
    /// <summary>OffsetCommit metadata string longer than the broker allows.</summary>
    OffsetMetadataTooLarge = 12,
    CoordinatorLoadInProgress = 14,
    CoordinatorNotAvailable = 15,
    NotCoordinator = 16,
    /// <summary>Illegal topic name.</summary>
    InvalidTopicException = 17,
    RecordListTooLarge = 18,
    NotEnoughReplicas = 19,
    NotEnoughReplicasAfterAppend = 20,
    /// <summary>Acks not in {-1, 0, 1}.</summary>
    InvalidRequiredAcks = 21,
    IllegalGeneration = 22,
    InconsistentGroupProtocol = 23,
    /// <summary>Empty or otherwise unusable group id.</summary>
    InvalidGroupId = 24,
    UnknownMemberId = 25,
    InvalidSessionTimeout = 26,
    RebalanceInProgress = 27,
    InvalidCommitOffsetSize = 28,
    TopicAuthorizationFailed = 29,
    GroupAuthorizationFailed = 30,
    UnsupportedSaslMechanism = 33,
    IllegalSaslState = 34,
    /// <summary>Also the ApiVersions fallback answer for a version FastMQ does not know.</summary>
    UnsupportedVersion = 35,
    TopicAlreadyExists = 36,
    InvalidPartitions = 37,
    InvalidReplicationFactor = 38,
    InvalidConfig = 40,
    /// <summary>Malformed request.</summary>
    InvalidRequest = 42,
    OutOfOrderSequenceNumber = 45,
    DuplicateSequenceNumber = 46,
    InvalidProducerEpoch = 47,
    /// <summary>The disk under the partition failed or is full; retriable.</summary>
    KafkaStorageError = 56,
    SaslAuthenticationFailed = 58,
    /// <summary>DeleteTopics while delete.topic.enable is false.</summary>
    /// <summary>DeleteGroups on a group that still has members.</summary>
    NonEmptyGroup = 68,
    /// <summary>DeleteGroups or OffsetDelete on a group the coordinator does not know.</summary>
    GroupIdNotFound = 69,
    TopicDeletionDisabled = 73,
    FencedLeaderEpoch = 74,
    UnknownLeaderEpoch = 75,
    /// <summary>zstd with Produce &lt; 7 or Fetch &lt; 10.</summary>
    UnsupportedCompressionType = 76,
    MemberIdRequired = 79,
    FencedInstanceId = 82,
    /// <summary>OffsetDelete on a topic that members of the group still subscribe to.</summary>
    GroupSubscribedToTopic = 86,
    /// <summary>Batch fails validation (e.g. a control batch sent by a client).</summary>
    InvalidRecord = 87,
    UnstableOffsetCommit = 88,
    UnknownTopicId = 100,
}
