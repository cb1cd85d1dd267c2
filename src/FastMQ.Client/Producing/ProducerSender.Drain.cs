using System;
using System.Diagnostics;
using System.Threading;
using FastMQ.Client.Internal;
using FastMQ.Client.Wire;
using FastMQ.Protocol.Messages;

namespace FastMQ.Client.Producing;

/// <summary>Draining ready batches into requests, connections, expiry and shutdown.</summary>
internal sealed partial class ProducerSender
{
    /// <summary>One round: at most one request per broker, at most one batch per partition in it. True when something was sent.</summary>
    private bool Drain(long now)
    {
        PartitionState[] partitions = _metadata.Partitions;
        foreach (PartitionState partition in partitions)
        {
            if (partition.RetryHead is null && !partition.HasReady)
            {
                continue;
            }
            int leader = partition.LeaderId;
            if (leader < 0)
            {
                _metadataStale = true;
                continue;
            }
            NodeLink node = GetNode(leader);
            if (node.Pending is null)
            {
                if (!EnsureConnected(node, now) || (_acks != 0 && node.Connection!.InFlightCount >= _maxInFlight))
                {
                    continue;
                }
                node.Pending = RentRequest(node);
            }
            ProduceInflight request = node.Pending;
            if (request.Count > 0 && request.Bytes + NextBatchBytes(partition) > _maxRequestBytes)
            {
                continue; // next round
            }
            ProducerBatch? batch = TakeNext(partition, now);
            if (batch is not null)
            {
                request.Add(batch);
            }
        }
        bool sent = false;
        foreach (NodeLink node in _nodes.Values)
        {
            ProduceInflight? request = node.Pending;
            if (request is null)
            {
                continue;
            }
            node.Pending = null;
            if (request.Count == 0)
            {
                RecycleRequest(request);
                continue;
            }
            SendRequest(node, request);
            sent = true;
        }
        return sent;
    }

    private static int NextBatchBytes(PartitionState partition) =>
        partition.RetryHead?.Length ?? partition.PeekReadyLength();

    /// <summary>The partition's next batch to send, sealed; null when none may go now.</summary>
    private ProducerBatch? TakeNext(PartitionState partition, long now)
    {
        ProducerBatch? retry = partition.RetryHead;
        if (retry is not null)
        {
            // While an epoch bump waits, only a batch that may already be in the log goes out (under its old
            // numbers), to learn whether it is; the rest wait to be re-sequenced.
            if (partition.InFlight > 0 || retry.RetryNotBeforeTicks > now || (_epochBumpWanted && !retry.OutcomeUnknown))
            {
                return null;
            }
            partition.RetryHead = retry.Next;
            retry.Next = null;
            return retry;
        }
        if (_epochBumpWanted || partition.InFlight >= _maxInFlight)
        {
            return null;
        }
        ProducerBatch? batch = partition.TryDequeue();
        if (batch is null)
        {
            return null;
        }
        batch.DrainOrder = partition.NextDrainOrder++;
        int sequence = -1;
        if (_idempotent)
        {
            sequence = partition.NextSequence;
            partition.NextSequence = NextSequenceAfter(sequence, batch.Count);
        }
        batch.Seal(_producerId, _producerEpoch, sequence, _codec, _compressor, _scratch, _compressed, _accumulator.Memory);
        return batch;
    }

    private void SendRequest(NodeLink node, ProduceInflight request)
    {
        WireConnection connection = node.Connection!;
        var body = new ProduceRequestBody(request, _acks, _requestTimeoutMs);
        short version;
        try
        {
            version = connection.Versions.Require(ApiKey.Produce);
        }
        catch (BrokerProtocolException e)
        {
            FailRequest(request, ErrorCode.UnsupportedVersion, e.Message);
            return;
        }
        if (_acks == 0)
        {
            try
            {
                connection.SendNoResponse(ApiKey.Produce, version, ref body);
            }
            catch (BrokerUnreachableException e)
            {
                // Nothing was in flight for these batches (acks=0 keeps no count): resend them later.
                for (int i = 0; i < request.Count; i++)
                {
                    Retry(request.Batches[i], NetworkException, e.Message);
                }
                RecycleRequest(request);
                return;
            }
            // Nothing will answer: written is as delivered as acks=0 gets.
            for (int i = 0; i < request.Count; i++)
            {
                Deliver(request.Batches[i], -1, ErrorCode.None, null);
            }
            RecycleRequest(request);
            return;
        }
        for (int i = 0; i < request.Count; i++)
        {
            request.Batches[i].Partition.InFlight++;
        }
        _inFlightBatches += request.Count;
        try
        {
            connection.Send(ApiKey.Produce, version, ref body, this, request.Id);
        }
        catch (BrokerUnreachableException e)
        {
            // Not registered: no sink call will come, so the batches go back to be resent here.
            request.Failure = e;
            Complete(request);
        }
    }

    private void FailRequest(ProduceInflight request, ErrorCode error, string message)
    {
        for (int i = 0; i < request.Count; i++)
        {
            Deliver(request.Batches[i], -1, error, message);
        }
        RecycleRequest(request);
    }

    private NodeLink GetNode(int nodeId)
    {
        if (!_nodes.TryGetValue(nodeId, out NodeLink? node))
        {
            node = new NodeLink(nodeId);
            _nodes[nodeId] = node;
        }
        return node;
    }

    private bool EnsureConnected(NodeLink node, long now)
    {
        if (node.Connection is { IsUsable: true })
        {
            return true;
        }
        if (node.Connection is not null)
        {
            node.Connection.Dispose();
            node.Connection = null;
            _metadataStale = true;
        }
        if (now < node.ReconnectNotBeforeTicks)
        {
            return false;
        }
        if (!_metadata.TryGetEndpoint(node.NodeId, out BrokerEndpoint endpoint))
        {
            _metadataStale = true;
            return false;
        }
        try
        {
            node.Connection = WireConnection.Connect(endpoint, _options, _maxInFlight);
            node.ConnectFailures = 0;
            return true;
        }
        catch (ClientException)
        {
            // Exponential backoff from retry.backoff.ms, capped at one second.
            node.ConnectFailures++;
            long backoff = Math.Min(Math.Max(_backoffTicks, Stopwatch.Frequency / 100) << Math.Min(node.ConnectFailures, 6),
                Stopwatch.Frequency);
            node.ReconnectNotBeforeTicks = Stopwatch.GetTimestamp() + backoff;
            return false;
        }
    }

    /// <summary>Fails queued batches whose delivery timeout passed (their broker may be gone for good).</summary>
    private void ExpireQueued(long now)
    {
        foreach (PartitionState partition in _metadata.Partitions)
        {
            while (partition.RetryHead is { } retry && retry.DeadlineTicks <= now && partition.InFlight == 0)
            {
                partition.RetryHead = retry.Next;
                retry.Next = null;
                Deliver(retry, -1, ErrorCode.RequestTimedOut, "delivery.timeout.ms passed while the batch waited to be resent");
            }
            while (partition.TryDequeueExpired(now) is { } expired)
            {
                Deliver(expired, -1, ErrorCode.RequestTimedOut, "delivery.timeout.ms passed before the batch could be sent");
            }
        }
    }

    /// <summary>After the loop: close connections (failing what is in flight) and report everything left as failed.</summary>
    private void Shutdown()
    {
        Volatile.Write(ref _stopDeadlineTicks, 0);
        foreach (NodeLink node in _nodes.Values)
        {
            node.Connection?.Dispose();
            node.Connection = null;
        }
        ProcessCompletions();
        _accumulator.Sweep(Stopwatch.GetTimestamp(), 0, force: true);
        const string Closed = "the producer was disposed before the record was delivered";
        foreach (PartitionState partition in _metadata.Partitions)
        {
            while (partition.RetryHead is { } retry)
            {
                partition.RetryHead = retry.Next;
                Deliver(retry, -1, ErrorCode.RequestTimedOut, Closed);
            }
            while (partition.TryDequeue() is { } batch)
            {
                Deliver(batch, -1, ErrorCode.RequestTimedOut, Closed);
            }
        }
        _compressor.Dispose();
    }
}
