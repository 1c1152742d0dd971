using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.Configuration;

/// <summary>The section whose keywords are being read: its kind, settings and, for proxies, its parts.</summary>
internal sealed class ProxySection
{
    public ProxySection(SectionKinds kind, string name, ProxySettings settings, string baseDirectory)
    {
        Kind = kind;
        Name = name;
        Settings = settings;
        BaseDirectory = baseDirectory;
    }

    public SectionKinds Kind { get; }

    public string Name { get; }

    public ProxySettings Settings { get; }

    /// <summary>Folder of the configuration file, for relative `-f` pattern files.</summary>
    public string BaseDirectory { get; }

    public FrontendConfig? Frontend { get; init; }

    public BackendConfig? Backend { get; init; }

    public AclScope? Acls { get; init; }

    /// <summary>The section keyword as written: global, defaults, frontend, backend or listen.</summary>
    public string KindName => Kind switch
    {
        SectionKinds.Global => "global",
        SectionKinds.Defaults => "defaults",
        SectionKinds.Frontend => "frontend",
        SectionKinds.Backend => "backend",
        _ => "listen",
    };
}
