using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Edge.Telemetry;

/// <summary>
/// How often each key was rejected by a rate limit or the penalty box, for the edge panel. Client addresses are
/// kept as they are. Every other key (subject, header value) is kept only as a short SHA-256 prefix, so the panel
/// never shows a token. At most <see cref="MaxKeys"/> keys are kept, and when full the less limited half is dropped.
/// </summary>
internal sealed class LimitedKeys
{
    public const int MaxKeys = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Key, string Rule), long> _counts = [];

    /// <summary>Counts one rejection of a client address.</summary>
    public void AddClient(string rule, string address) =>
        Add(rule, IPAddress.TryParse(address, out _) ? address : Hash(address));

    /// <summary>Counts one rejection of a key that may be secret, such as a subject or an API key header.</summary>
    public void AddSecret(string rule, string value) => Add(rule, Hash(value));

    /// <summary>Returns the <paramref name="count"/> keys rejected most often, most first.</summary>
    public IReadOnlyList<(string Key, string Rule, long Count)> Top(int count)
    {
        lock (_lock)
        {
            return _counts
                .OrderByDescending(pair => pair.Value)
                .ThenBy(pair => pair.Key.Key, StringComparer.Ordinal)
                .Take(count)
                .Select(pair => (pair.Key.Key, pair.Key.Rule, pair.Value))
                .ToList();
        }
    }

    /// <summary>Returns "sha256:" and the first 12 hex digits of the value's hash: enough to tell keys apart, useless as a credential.</summary>
    public static string Hash(string value) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..12];

    private void Add(string rule, string key)
    {
        lock (_lock)
        {
            if (_counts.Count >= MaxKeys && !_counts.ContainsKey((key, rule)))
            {
                Trim();
            }

            _counts[(key, rule)] = _counts.GetValueOrDefault((key, rule)) + 1;
        }
    }

    private void Trim()
    {
        foreach (var entry in _counts.OrderBy(pair => pair.Value).Take(MaxKeys / 2).Select(pair => pair.Key).ToList())
        {
            _counts.Remove(entry);
        }
    }
}
