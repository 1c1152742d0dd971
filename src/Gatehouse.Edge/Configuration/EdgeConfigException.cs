namespace Gatehouse.Edge.Configuration;

/// <summary>Thrown when edge.toml is invalid; <see cref="Errors"/> lists every problem found, each with file:line.</summary>
public sealed class EdgeConfigException : Exception
{
    public EdgeConfigException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
