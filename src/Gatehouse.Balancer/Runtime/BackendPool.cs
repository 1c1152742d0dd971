using System.Net;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.LoadBalancing;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Balancer.Runtime;

/// <summary>A backend at run time: its servers, their selector, and the HTTP client settings used to reach them.</summary>
internal sealed class BackendPool
{
    public BackendPool(BackendConfig config, HttpMessageInvoker invoker)
    {
        Config = config;
        Invoker = invoker;
        Servers = [.. config.Servers.Select(server => new ServerState(server))];
        Selector = new ServerSelector(config.Balance, Servers);
        RequestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = config.Settings.ServerTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
    }

    public BackendConfig Config { get; }

    public string Name => Config.Name;

    public ServerState[] Servers { get; }

    public ServerSelector Selector { get; }

    public HttpMessageInvoker Invoker { get; }

    public ForwarderRequestConfig RequestConfig { get; }
}
