namespace Gatehouse.Balancer.Configuration;

/// <summary>
/// Thrown when a balancer configuration is invalid. <see cref="Errors"/> lists every problem found,
/// each starting with FILE:LINE, so one run shows all of them.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<string> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>One message per problem, in file and line order.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string FormatMessage(IReadOnlyList<string> errors)
    {
        var noun = errors.Count == 1 ? "error" : "errors";
        return $"Invalid balancer configuration ({errors.Count} {noun}):{Environment.NewLine}  "
            + string.Join(Environment.NewLine + "  ", errors);
    }
}
