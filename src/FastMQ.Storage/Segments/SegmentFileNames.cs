using System;
using System.Globalization;
using System.IO;
using FastMQ.Core;

namespace FastMQ.Storage.Segments;

/// <summary>
/// File names inside a partition directory. A segment is named by its base offset, 20 digits zero-padded, so a
/// directory listing sorts segments in offset order (the scheme Kafka uses): <c>00000000000000000000.log</c>,
/// <c>.index</c>, <c>.timeindex</c>. Keep in sync with docs/FORMATS.md.
/// </summary>
public static class SegmentFileNames
{
    public const string LogSuffix = ".log";
    public const string IndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";

    /// <summary>Suffix of an index being written; renamed into place once complete, so a half-written index is never trusted.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>Written by a clean close, removed by the next open: its presence means the files need no recovery scan.</summary>
    public const string CleanShutdownMarker = ".clean-shutdown";

    /// <summary>The log start offset set by DeleteRecords, when it lies inside the first segment.</summary>
    public const string LogStartOffsetCheckpoint = "log-start-offset.checkpoint";

    public const int BaseOffsetDigits = 20;

    public static string BaseName(Offset baseOffset) =>
        baseOffset.Value.ToString("D20", CultureInfo.InvariantCulture);

    public static string LogPath(string directory, Offset baseOffset) =>
        Path.Combine(directory, BaseName(baseOffset) + LogSuffix);

    public static string IndexPath(string directory, Offset baseOffset) =>
        Path.Combine(directory, BaseName(baseOffset) + IndexSuffix);

    public static string TimeIndexPath(string directory, Offset baseOffset) =>
        Path.Combine(directory, BaseName(baseOffset) + TimeIndexSuffix);

    /// <summary>Parses <c>NNNNNNNNNNNNNNNNNNNN{suffix}</c>; false for any other name.</summary>
    public static bool TryParseBaseOffset(string fileName, string suffix, out Offset baseOffset)
    {
        baseOffset = Offset.Invalid;
        if (fileName.Length != BaseOffsetDigits + suffix.Length || !fileName.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }
        ReadOnlySpan<char> digits = fileName.AsSpan(0, BaseOffsetDigits);
        foreach (char c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            return false;
        }
        baseOffset = new Offset(value);
        return true;
    }
}
