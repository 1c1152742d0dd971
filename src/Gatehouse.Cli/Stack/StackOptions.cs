namespace Gatehouse.Cli.Stack;

/// <summary>How to start the whole demo stack; defaults match <c>gatehouse up</c> with no arguments.</summary>
internal sealed class StackOptions
{
    /// <summary>Folder holding examples/haproxy.cfg, examples/edge.toml and examples/static.</summary>
    public required string ConfigDirectory { get; init; }

    public required RunFolder RunFolder { get; init; }

    /// <summary>Edge port on 127.0.0.1; 0 picks a free one.</summary>
    public int EdgePort { get; init; } = 8080;

    /// <summary>Balancer bind on loopback; port 0 picks a free one.</summary>
    public string BalancerBind { get; init; } = "127.0.0.1:8081";

    /// <summary>Dev issuer listen address; port 0 picks a free one.</summary>
    public string IssuerListen { get; init; } = "127.0.0.1:8090";

    /// <summary>Fixed demo origin ports (9101…9121) when true; free ports when false.</summary>
    public bool FixedOriginPorts { get; init; } = true;
}
