namespace FastMQ.Runtime;

/// <summary>
/// Receives messages drained from an <see cref="MpscRing{T}"/>. Implemented by structs so the drain loop is
/// specialised per handler and makes no interface or delegate call per message.
/// </summary>
public interface IMessageHandler<T>
    where T : struct
{
    void OnMessage(in T message);
}
