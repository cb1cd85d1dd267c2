using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using FastMQ.Broker;
using FastMQ.Broker.Configuration;
using FastMQ.Server.Metrics;
using Microsoft.Extensions.Logging;

namespace FastMQ.Server;

/// <summary>
/// fastmq-server: starts a broker on localhost:9092 with data in ./fastmq-data unless told otherwise
/// (<c>--config server.properties</c>, FASTMQ_* environment variables, <c>--name=value</c> arguments).
/// SIGTERM / SIGINT stop it gracefully; exit code 0 after a clean stop, 2 for a configuration error, 1 otherwise.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            })
            .SetMinimumLevel(LogLevel.Information));
        ILogger logger = loggerFactory.CreateLogger("FastMQ.Server");
        BrokerOptions options;
        try
        {
            options = ConfigLoader.Load(args);
        }
        catch (BrokerConfigException e)
        {
            logger.LogCritical("Configuration error: {Message}", e.Message);
            return 2;
        }

        foreach (string ignored in ConfigLoader.IgnoredEnvironmentVariables)
        {
            logger.LogWarning("Environment variable {Name} names no FastMQ setting; ignored", ignored);
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.TrySetResult();
        });
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            stop.TrySetResult();
        });

        BrokerServer server;
        try
        {
            server = await BrokerServer.StartAsync(options, loggerFactory).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "FastMQ broker failed to start: {Message}", e.Message);
            return 1;
        }
        MetricsEndpoint? metrics;
        try
        {
            metrics = StartMetrics(options, server, loggerFactory, logger);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            // Set explicitly and not available: an operator who asked for metrics must not silently go without them.
            logger.LogCritical("Metrics endpoint {Host}:{Port} cannot be opened: {Message}", options.MetricsHost, options.MetricsPort, e.Message);
            await server.StopAsync().ConfigureAwait(false);
            return 1;
        }
        await stop.Task.ConfigureAwait(false);
        logger.LogInformation("Shutting down");
        if (metrics is not null)
        {
            await metrics.DisposeAsync().ConfigureAwait(false);
        }
        try
        {
            await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "Shutdown failed");
            return 1;
        }
        return 0;
    }

    /// <summary>
    /// Opens the Prometheus endpoint (fastmq.metrics.port, 0 = none). The default port is best effort (another broker
    /// or exporter on this machine may hold it: warning, no endpoint); a port or host set explicitly must work.
    /// </summary>
    private static MetricsEndpoint? StartMetrics(BrokerOptions options, BrokerServer server, ILoggerFactory loggerFactory, ILogger logger)
    {
        if (options.MetricsPort == 0)
        {
            return null;
        }
        try
        {
            MetricsEndpoint endpoint = MetricsEndpoint.Start(options.MetricsHost, options.MetricsPort, server.Metrics, loggerFactory.CreateLogger("FastMQ.Metrics"));
            logger.LogInformation("Prometheus metrics at http://{EndPoint}/metrics", endpoint.LocalEndPoint);
            return endpoint;
        }
        catch (SocketException e) when (options.IsDefault("fastmq.metrics.port") && options.IsDefault("fastmq.metrics.host"))
        {
            logger.LogWarning("No metrics endpoint: the default {Host}:{Port} is not available ({Message}); set fastmq.metrics.port to a free port, or 0",
                options.MetricsHost, options.MetricsPort, e.Message);
            return null;
        }
    }
}
