using System.Globalization;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Caching;

/// <summary>
/// A `cache NAME` section. <see cref="MaxObjectBytes"/> defaults to 1/256 of <see cref="TotalMaxBytes"/> and
/// <see cref="MaxAge"/> to 60 seconds, as in HAProxy 2.6.
/// </summary>
public sealed record CacheSettings(string Name, long TotalMaxBytes, long MaxObjectBytes, TimeSpan MaxAge, bool ProcessVary, ConfigLocation Location);

/// <summary>Reads the lines of a `cache NAME` section: total-max-size, max-object-size, max-age and process-vary.</summary>
internal sealed class CacheSectionParser(string name, ConfigLocation location, ConfigErrors errors)
{
    private static readonly string[] Keywords = ["total-max-size", "max-object-size", "max-age", "process-vary"];

    private long? _totalMegabytes;
    private long? _maxObjectBytes;
    private TimeSpan _maxAge = TimeSpan.FromSeconds(60);
    private bool _processVary;

    public void Parse(ConfigLine line)
    {
        var keyword = line.Keyword;
        var value = line.Count == 2 ? line[1] : null;
        switch (keyword)
        {
            case "total-max-size" when TryParse(value, 1, 4095, out var megabytes):
                _totalMegabytes = megabytes;
                return;
            case "max-object-size" when TryParse(value, 1, int.MaxValue, out var bytes):
                _maxObjectBytes = bytes;
                return;
            case "max-age" when TryParse(value, 0, int.MaxValue, out var seconds):
                _maxAge = TimeSpan.FromSeconds(seconds);
                return;
            case "process-vary" when value is "on" or "off":
                // NOTE: with process-vary on, Gatehouse still stores no response that carries Vary.
                _processVary = value == "on";
                return;
            case "total-max-size":
                errors.Add(line.Location, $"'total-max-size' expects a size in megabytes from 1 to 4095, got '{Given(line)}'");
                return;
            case "max-object-size" or "max-age":
                errors.Add(line.Location, $"'{keyword}' expects a whole number of {(keyword == "max-age" ? "seconds" : "bytes")}, got '{Given(line)}'");
                return;
            case "process-vary":
                errors.Add(line.Location, $"'process-vary' expects 'on' or 'off', got '{Given(line)}'");
                return;
            default:
                errors.Add(line.Location, keyword == "max-secondary-entries"
                    ? "'max-secondary-entries' is not supported yet"
                    : $"unknown keyword '{keyword}' in 'cache' section; expected one of {string.Join(", ", Keywords)}{Suggestions.DidYouMean(keyword, Keywords)}");
                return;
        }
    }

    /// <summary>Returns the section's settings, or null after reporting a missing or inconsistent size.</summary>
    public CacheSettings? Finish()
    {
        if (_totalMegabytes is not { } megabytes)
        {
            errors.Add(location, $"cache '{name}' needs 'total-max-size', the cache size in megabytes");
            return null;
        }

        var total = megabytes * 1024 * 1024;
        var maxObject = _maxObjectBytes ?? total / 256;
        if (maxObject > total / 2)
        {
            errors.Add(location, $"cache '{name}': 'max-object-size' {maxObject} is above half of 'total-max-size' ({total / 2} bytes)");
            return null;
        }

        return new CacheSettings(name, total, maxObject, _maxAge, _processVary, location);
    }

    private static string Given(ConfigLine line) => line.Count > 1 ? string.Join(' ', line.Words.Skip(1)) : "nothing";

    private static bool TryParse(string? text, long min, long max, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
}
