namespace Gatehouse.Balancer.Configuration;

/// <summary>The file and 1-based line a configuration element came from.</summary>
public readonly record struct ConfigLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}
