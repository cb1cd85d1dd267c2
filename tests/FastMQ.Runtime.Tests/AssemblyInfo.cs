using Xunit;

// Timing and allocation tests measure the whole process and this machine has two cores: run tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
