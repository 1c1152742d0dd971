namespace Gatehouse.Balancer.Configuration;

/// <summary>Collects configuration problems so that one load reports all of them.</summary>
internal sealed class ConfigErrors
{
    private readonly List<(ConfigLocation Location, string Message)> _errors = [];
    private readonly Dictionary<string, int> _fileOrder = new(StringComparer.Ordinal);

    public int Count => _errors.Count;

    /// <summary>Records a problem; <paramref name="message"/> follows the "FILE:LINE: " prefix.</summary>
    public void Add(ConfigLocation location, string message) => _errors.Add((location, message));

    /// <summary>Registers a file so its messages sort in load order rather than by name.</summary>
    public void BeginFile(string file) => _fileOrder.TryAdd(file, _fileOrder.Count);

    public void ThrowIfAny()
    {
        if (_errors.Count == 0)
        {
            return;
        }

        // A stable sort keeps messages for one line in the order they were found.
        var ordered = _errors
            .Select((error, index) => (error, index))
            .OrderBy(item => _fileOrder.GetValueOrDefault(item.error.Location.File, int.MaxValue))
            .ThenBy(item => item.error.Location.Line)
            .ThenBy(item => item.index)
            .Select(item => $"{item.error.Location}: {item.error.Message}")
            .ToList();
        throw new ConfigException(ordered);
    }
}
