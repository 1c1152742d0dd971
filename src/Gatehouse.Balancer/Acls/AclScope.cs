using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Acls;

/// <summary>
/// The ACLs of one frontend or backend. Conditions may name an ACL before its `acl` line, so references
/// are checked once the whole configuration has been read. Undefined names fall back to HAProxy's
/// predefined ACLs (TRUE, FALSE, METH_GET, LOCALHOST and others).
/// </summary>
internal sealed class AclScope
{
    private static readonly Dictionary<string, string[]> Predefined = new(StringComparer.Ordinal)
    {
        ["TRUE"] = ["always_true"],
        ["FALSE"] = ["always_false"],
        ["HTTP"] = ["always_true"],
        ["METH_CONNECT"] = ["method", "CONNECT"],
        ["METH_DELETE"] = ["method", "DELETE"],
        ["METH_GET"] = ["method", "GET", "HEAD"],
        ["METH_HEAD"] = ["method", "HEAD"],
        ["METH_OPTIONS"] = ["method", "OPTIONS"],
        ["METH_POST"] = ["method", "POST"],
        ["METH_PUT"] = ["method", "PUT"],
        ["METH_TRACE"] = ["method", "TRACE"],
        ["LOCALHOST"] = ["src", "127.0.0.1/8", "::1"],
        ["HTTP_URL_SLASH"] = ["url_beg", "/"],
    };

    private readonly Dictionary<string, Acl> _acls = new(StringComparer.Ordinal);
    private readonly List<(string Name, ConfigLocation Location, string Keyword)> _references = [];

    public AclScope(string description)
    {
        Description = description;
    }

    /// <summary>The owner for messages, such as "frontend 'gateway'".</summary>
    public string Description { get; }

    public void Define(string name, AclEntry entry) => GetOrAdd(name).Add(entry);

    /// <summary>Returns the ACL of that name, which <see cref="Validate"/> later checks is defined.</summary>
    public Acl Reference(string name, ConfigLocation location, string keyword)
    {
        _references.Add((name, location, keyword));
        return GetOrAdd(name);
    }

    public void Validate(ConfigErrors errors)
    {
        foreach (var (name, location, keyword) in _references)
        {
            var acl = _acls[name];
            if (acl.IsDefined)
            {
                continue;
            }

            if (Predefined.TryGetValue(name, out var definition))
            {
                acl.Add(AclParser.Parse(definition, "", [])!);
                continue;
            }

            var known = _acls.Values.Where(candidate => candidate.IsDefined).Select(candidate => candidate.Name);
            var hint = Suggestions.DidYouMean(name, known);
            errors.Add(location, $"'{keyword}' uses acl '{name}', which is not defined in {Description}; add 'acl {name} ...'{hint}");
        }
    }

    private Acl GetOrAdd(string name)
    {
        if (!_acls.TryGetValue(name, out var acl))
        {
            acl = new Acl(name);
            _acls[name] = acl;
        }

        return acl;
    }
}
