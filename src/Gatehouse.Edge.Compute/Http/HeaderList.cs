namespace Gatehouse.Edge.Compute.Http;

/// <summary>
/// Ordered, case-insensitive, multi-value header fields of a guest request or response. Values are never
/// merged, so three <c>Set-Cookie</c> appends stay three fields.
/// </summary>
internal sealed class HeaderList
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    /// <summary>Returns each distinct name once, lower-cased, in order of first appearance.</summary>
    public List<string> Names()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();
        foreach (var field in _fields)
        {
            if (seen.Add(field.Key))
            {
                names.Add(field.Key.ToLowerInvariant());
            }
        }

        return names;
    }

    public List<string> Values(string name) =>
        _fields.Where(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).ToList();

    public void Append(string name, string value) => _fields.Add(new(name, value));

    /// <summary>Replaces every value of <paramref name="name"/> with one value.</summary>
    public void Insert(string name, string value)
    {
        Remove(name);
        Append(name, value);
    }

    /// <summary>Removes every value of <paramref name="name"/>; returns false when there was none.</summary>
    public bool Remove(string name) =>
        _fields.RemoveAll(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)) > 0;

    public HeaderList Clone()
    {
        var copy = new HeaderList();
        copy._fields.AddRange(_fields);
        return copy;
    }
}
