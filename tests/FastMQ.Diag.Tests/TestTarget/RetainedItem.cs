namespace FastMQ.Diag.TestTarget;

/// <summary>Kept alive for the whole run, so a heap snapshot must count exactly <see cref="Program.RetainedCount"/> of them.</summary>
internal sealed class RetainedItem(int id)
{
    public int Id { get; } = id;

    public byte[] Payload { get; } = new byte[100];
}
