using System.Runtime.CompilerServices;

// Tests reach the test hooks and the internal lifecycle of shards.
[assembly: InternalsVisibleTo("FastMQ.Runtime.Tests")]
