using System;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Broker.Shards;
using FastMQ.Core;
using FastMQ.Network;
using FastMQ.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace FastMQ.Broker.Requests;

/// <summary>
/// Starts a request handler that finishes asynchronously (admin and group APIs that wait for the controller or for
/// other shards) and watches it: a handler that fails before answering would leave its request unanswered, and since
/// responses leave in request order every later response on that connection would wait behind it for good. A failed
/// handler therefore closes its connection with a logged reason (the client reconnects and retries), as a synchronous
/// handler's exception does in <see cref="RequestDispatcher"/>.
/// </summary>
/// <remarks>
/// Cost: nothing beyond the handler's own task when it completes synchronously; otherwise one small watcher object and
/// a continuation — these are low-rate APIs, never Produce or Fetch.
/// </remarks>
internal static class AsyncRequests
{
    /// <summary>
    /// Only in-process fault-injection tests set it: returns a task to run instead of the handler (a failing one), or
    /// null to run the handler. Null otherwise, costing one load and test per asynchronous request.
    /// </summary>
    internal static Func<RequestContext, Task?>? StartHook { get; set; }

    /// <summary>Runs <paramref name="handler"/> for <paramref name="ctx"/> and closes the connection if it fails unanswered. Connection's shard only.</summary>
    public static void Start<TState>(BrokerContext broker, RequestContext ctx, TState state, Func<BrokerContext, RequestContext, TState, Task> handler)
    {
        Task task = StartHook?.Invoke(ctx) ?? handler(broker, ctx, state);
        if (task.IsCompletedSuccessfully)
        {
            return;
        }
        _ = task.ContinueWith(FaultWatch.OnFaulted, new FaultWatch(broker, ctx), CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private sealed class FaultWatch
    {
        private readonly BrokerContext _broker;
        private readonly RequestContext _ctx;
        private readonly int _generation;
        private readonly IKafkaConnection _connection;
        private readonly ShardId _shard;
        private readonly ApiKey _api;
        private readonly short _version;

        public FaultWatch(BrokerContext broker, RequestContext ctx)
        {
            _broker = broker;
            _ctx = ctx;
            _generation = ctx.Generation;
            _connection = ctx.Connection;
            _shard = ctx.Shard;
            _api = ctx.ApiKey;
            _version = ctx.ApiVersion;
        }

        public static void OnFaulted(Task task, object? state)
        {
            var watch = (FaultWatch)state!;
            Exception error = task.Exception!.GetBaseException();
            // Back on the connection's shard: the context and the connection's response order belong to it.
            _ = ShardCall<bool>.Run(watch._broker.Shards, watch._shard, _ => watch.FailOnShard(error));
        }

        private bool FailOnShard(Exception error)
        {
            if (_ctx.Generation != _generation)
            {
                // The handler had answered (the context was released, perhaps reused) and failed afterwards.
                _broker.Logger.LogError(error, "Connection {Id} from {Remote}: internal error after answering {Api} v{Version}",
                    _connection.Id, _connection.RemoteEndPoint, _api, _version);
                return false;
            }
            _broker.Logger.LogError(error, "Connection {Id} from {Remote}: internal error handling {Api} v{Version}; closing the connection",
                _connection.Id, _connection.RemoteEndPoint, _api, _version);
            _ctx.Fail($"internal error handling the request: {error.GetType().Name}: {error.Message}");
            return true;
        }
    }
}
