namespace FastMQ.Runtime.Tests.Litmus;

/// <summary>The ring under test, seen by the litmus harness.</summary>
public interface ILitmusRing
{
    bool TryEnqueue(in LitmusMessage message);

    bool TryDequeue(out LitmusMessage message);
}
