using System;

namespace FastMQ.Client.DeadLetter;

/// <summary>Retry and dead-letter settings of a <see cref="DeadLetterProcessor"/>.</summary>
public sealed class DeadLetterOptions
{
    /// <summary>Handler runs per record before it goes to the dead-letter topic (1 = no retry).</summary>
    /// <remarks>Defaults to 3.</remarks>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait before the second attempt; each later wait is multiplied by <see cref="BackoffMultiplier"/>.</summary>
    /// <remarks>Defaults to 100 ms.</remarks>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Growth of the wait between attempts.</summary>
    /// <remarks>Defaults to 2.</remarks>
    public double BackoffMultiplier { get; set; } = 2;

    /// <summary>Longest wait between attempts.</summary>
    /// <remarks>Defaults to 10 seconds.</remarks>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Appended to a record's topic to name its dead-letter topic.</summary>
    /// <remarks>Defaults to <c>.dlq</c>.</remarks>
    public string TopicSuffix { get; set; } = ".dlq";

    /// <summary>Names the dead-letter topic of a source topic instead of <see cref="TopicSuffix"/>.</summary>
    /// <remarks>Defaults to null.</remarks>
    public Func<string, string>? TopicFor { get; set; }

    /// <summary>Time allowed for the dead-letter write to be acknowledged; past it the processing loop fails (nothing is committed).</summary>
    /// <remarks>Defaults to 30 seconds.</remarks>
    public TimeSpan ProduceTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time between commits of processed records (they are also committed when the loop stops).</summary>
    /// <remarks>Defaults to 1 second.</remarks>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    internal void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"MaxAttempts must be at least 1, not {MaxAttempts}", nameof(MaxAttempts));
        }
        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < TimeSpan.Zero || BackoffMultiplier < 1)
        {
            throw new ArgumentException("backoffs must be non-negative and the multiplier at least 1", nameof(InitialBackoff));
        }
        if (TopicFor is null && string.IsNullOrEmpty(TopicSuffix))
        {
            throw new ArgumentException("TopicSuffix must not be empty (the dead-letter topic would be the source topic)", nameof(TopicSuffix));
        }
    }

    internal TimeSpan BackoffBefore(int attempt)
    {
        double ms = InitialBackoff.TotalMilliseconds * Math.Pow(BackoffMultiplier, attempt - 2);
        return TimeSpan.FromMilliseconds(Math.Min(ms, MaxBackoff.TotalMilliseconds));
    }
}
