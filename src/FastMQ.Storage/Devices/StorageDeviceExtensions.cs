using System;
using FastMQ.Core;
using FastMQ.Interop;
using FastMQ.Memory;

namespace FastMQ.Storage.Devices;

/// <summary>
/// Safe overloads of <see cref="IStorageDevice"/> for <see cref="AlignedBuffer"/> slices. An aligned buffer is
/// unmanaged and never moves, so its address may be handed to the kernel; the caller still keeps the buffer alive
/// (not disposed) until the operation's completion is reaped.
/// </summary>
public static unsafe class StorageDeviceExtensions
{
    /// <summary>Queues a write of <c>buffer[bufferOffset..bufferOffset+length)</c> at <paramref name="fileOffset"/>.</summary>
    public static bool TryQueueWrite(this IStorageDevice device, NativeFile file, AlignedBuffer buffer, int bufferOffset,
        int length, long fileOffset, ulong userData)
    {
        CheckRange(buffer, bufferOffset, length);
        return device.TryQueueWrite(file, buffer.Pointer + bufferOffset, length, fileOffset, userData);
    }

    /// <summary>Queues a read into <c>buffer[bufferOffset..bufferOffset+length)</c> from <paramref name="fileOffset"/>.</summary>
    public static bool TryQueueRead(this IStorageDevice device, NativeFile file, AlignedBuffer buffer, int bufferOffset,
        int length, long fileOffset, ulong userData)
    {
        CheckRange(buffer, bufferOffset, length);
        return device.TryQueueRead(file, buffer.Pointer + bufferOffset, length, fileOffset, userData);
    }

    private static void CheckRange(AlignedBuffer buffer, int bufferOffset, int length)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if ((uint)bufferOffset > (uint)buffer.Length || (uint)length > (uint)(buffer.Length - bufferOffset))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(length), $"[{bufferOffset}, +{length}) lies outside the {buffer.Length}-byte buffer");
        }
    }
}
