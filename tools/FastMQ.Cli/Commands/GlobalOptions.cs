using System;
using System.Collections.Generic;

namespace FastMQ.Cli.Commands;

/// <summary>
/// Lets global options come before the command (<c>fastmq -b host:9092 topic list</c>): the command-line parser only
/// accepts options after the command name, so leading global options and their values are moved to the end.
/// </summary>
internal static class GlobalOptions
{
    public static string[] MoveLeadingToEnd(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var leading = new List<string>();
        int i = 0;
        while (i < args.Length)
        {
            string arg = args[i];
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            string name = eq > 0 ? arg[..eq] : arg;
            if (Array.IndexOf(GlobalSettings.OptionNames, name) < 0)
            {
                break;
            }
            leading.Add(arg);
            i++;
            if (eq < 0 && i < args.Length)
            {
                leading.Add(args[i]);
                i++;
            }
        }
        if (leading.Count == 0)
        {
            return args;
        }
        var result = new List<string>(args.Length);
        result.AddRange(args.AsSpan(i));
        result.AddRange(leading);
        return [.. result];
    }
}
