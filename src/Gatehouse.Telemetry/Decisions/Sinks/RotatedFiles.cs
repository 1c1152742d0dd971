using System.Globalization;
using System.Text.RegularExpressions;

namespace Gatehouse.Telemetry.Decisions.Sinks;

/// <summary>Names of rotated decision files: <c>{stem}-{yyyyMMddTHHmmssfffZ}[-n]{extension}</c>, sorting by time.</summary>
internal static class RotatedFiles
{
    public static string NewPath(string activePath, DateTimeOffset now)
    {
        var directory = Path.GetDirectoryName(activePath)!;
        var stem = Path.GetFileNameWithoutExtension(activePath);
        var extension = Path.GetExtension(activePath);
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var candidate = Path.Combine(directory, $"{stem}-{stamp}{extension}");
        for (var n = 1; File.Exists(candidate); n++)
        {
            candidate = Path.Combine(directory, $"{stem}-{stamp}-{n}{extension}");
        }

        return candidate;
    }

    /// <summary>Deletes the oldest rotated files of <paramref name="activePath"/> beyond <paramref name="keep"/>; 0 keeps all.</summary>
    public static IReadOnlyList<string> Prune(string activePath, int keep)
    {
        if (keep == 0)
        {
            return [];
        }

        var rotated = List(activePath);
        var deleted = rotated.Take(Math.Max(0, rotated.Count - keep)).ToList();
        foreach (var path in deleted)
        {
            File.Delete(path);
        }

        return deleted;
    }

    /// <summary>Lists the rotated files of <paramref name="activePath"/>, oldest first.</summary>
    public static List<string> List(string activePath)
    {
        var directory = Path.GetDirectoryName(activePath)!;
        var stem = Path.GetFileNameWithoutExtension(activePath);
        var extension = Path.GetExtension(activePath);
        var pattern = new Regex(
            $"^{Regex.Escape(stem)}-[0-9]{{8}}T[0-9]{{9}}Z(-[0-9]+)?{Regex.Escape(extension)}$", RegexOptions.CultureInvariant);
        return Directory.EnumerateFiles(directory)
            .Where(path => pattern.IsMatch(Path.GetFileName(path)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
