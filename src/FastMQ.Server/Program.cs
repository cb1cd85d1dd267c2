using System;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using FastMQ.Broker;
using FastMQ.Broker.Configuration;
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
        await stop.Task.ConfigureAwait(false);
        logger.LogInformation("Shutting down");
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
}
