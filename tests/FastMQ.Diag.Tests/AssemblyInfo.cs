using Xunit;

// Each test starts its own target process and samples it for seconds; running them one at a time keeps their
// CPU and allocation rates (and so the assertions on them) independent of each other on a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
