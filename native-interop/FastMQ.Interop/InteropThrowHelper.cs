using System;
using System.Diagnostics.CodeAnalysis;

namespace FastMQ.Interop;

/// <summary>Throws kept out of the ring's hot methods so those stay small and inlinable.</summary>
internal static class InteropThrowHelper
{
    [DoesNotReturn]
    internal static void ArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn]
    internal static void ObjectDisposed(string objectName) => throw new ObjectDisposedException(objectName);

    [DoesNotReturn]
    internal static void NativeIO(string operation, int errno) => throw Errors.IOException(operation, errno);
}
