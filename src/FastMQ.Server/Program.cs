using System;

namespace FastMQ.Server;

internal static class Program
{
    private static int Main()
    {
        Console.WriteLine("FastMQ server: not yet implemented.");
        return 0;
    }
}
