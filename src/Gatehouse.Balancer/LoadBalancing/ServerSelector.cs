using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>
/// Picks a server for a backend: the balance algorithm over the non-backup servers, and when none of them
/// is usable, the first usable backup server, or with `option allbackups` the algorithm over every backup.
/// </summary>
internal sealed class ServerSelector
{
    private readonly ILoadBalancer _active;
    private readonly ServerState[] _backups;
    private readonly ILoadBalancer? _allBackups;

    public ServerSelector(ProxySettings settings, IReadOnlyList<ServerState> servers)
    {
        _active = LoadBalancers.Create(settings, [.. servers.Where(server => !server.Config.Backup)]);
        _backups = [.. servers.Where(server => server.Config.Backup)];
        _allBackups = settings.AllBackups ? LoadBalancers.Create(settings, _backups) : null;
    }

    public ServerState? Select(SampleContext context) =>
        _active.Select(context) ?? _allBackups?.Select(context) ?? Array.Find(_backups, server => server.IsUsable);
}
