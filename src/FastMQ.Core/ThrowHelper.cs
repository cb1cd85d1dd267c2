using System;
using System.IO;

using System.Diagnostics.CodeAnalysis;

namespace FastMQ.Core;

/// <summary>Throws kept out of hot methods so those stay small and inlinable.</summary>
public static class ThrowHelper
{
    [DoesNotReturn]
    public static void ArgumentOutOfRange(string paramName, string message) => throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn]
    public static void InvalidOperation(string message) => throw new InvalidOperationException(message);

    [DoesNotReturn]
    public static void InvalidData(string message) => throw new InvalidDataException(message);

    [DoesNotReturn]
    public static void ObjectDisposed(string objectName) => throw new ObjectDisposedException(objectName);
}
