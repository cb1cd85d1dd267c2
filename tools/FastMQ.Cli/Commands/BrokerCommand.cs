using System;
using System.Threading;
using System.Threading.Tasks;
using FastMQ.Cli.Output;
using FastMQ.Client.Internal;
using FastMQ.Protocol.Records;
using Spectre.Console.Cli;

namespace FastMQ.Cli.Commands;

/// <summary>
/// A command that talks to the cluster: owns the <see cref="ClusterClient"/> for one run and turns client failures
/// into messages and exit codes (see <see cref="ExitCodes"/>), so each command only describes its happy path.
/// </summary>
internal abstract class BrokerCommand<TSettings> : AsyncCommand<TSettings>
    where TSettings : GlobalSettings
{
    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var output = new CliOutput(settings.Format);
        var cluster = new ClusterClient(settings.ToClientOptions());
        await using (cluster.ConfigureAwait(false))
        {
            try
            {
                return await RunAsync(cluster, settings, output, cancellationToken).ConfigureAwait(false);
            }
            catch (UsageException e)
            {
                output.Error(e.Message, ExitCodes.Usage);
                return ExitCodes.Usage;
            }
            catch (BrokerErrorException e)
            {
                output.Error(e.Message, ExitCodes.BrokerError, e.ErrorName);
                return ExitCodes.BrokerError;
            }
            catch (BrokerProtocolException e)
            {
                output.Error(e.Message, ExitCodes.BrokerError);
                return ExitCodes.BrokerError;
            }
            catch (CorruptRecordException e)
            {
                output.Error($"the broker sent a corrupt record: {e.Message}", ExitCodes.BrokerError, "CORRUPT_MESSAGE");
                return ExitCodes.BrokerError;
            }
            catch (BrokerUnreachableException e)
            {
                output.Error(e.Message, ExitCodes.Unreachable);
                return ExitCodes.Unreachable;
            }
        }
    }

    /// <summary>Runs the command; returns the exit code. Client exceptions may escape: the caller maps them.</summary>
    protected abstract Task<int> RunAsync(ClusterClient cluster, TSettings settings, CliOutput output,
        CancellationToken cancellationToken);
}
