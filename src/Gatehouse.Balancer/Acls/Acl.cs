namespace Gatehouse.Balancer.Acls;

/// <summary>
/// A named ACL. Several `acl` lines with the same name add entries, and the ACL matches when any entry
/// matches, as in HAProxy.
/// </summary>
internal sealed class Acl
{
    private readonly List<AclEntry> _entries = [];

    public Acl(string name)
    {
        Name = name;
    }

    /// <summary>The ACL name, or "{ ... }" text for an anonymous ACL.</summary>
    public string Name { get; }

    public bool IsDefined => _entries.Count > 0;

    public void Add(AclEntry entry) => _entries.Add(entry);

    /// <summary>The sample expressions of the ACL's lines.</summary>
    public IEnumerable<SampleExpression> Expressions => _entries.Select(entry => entry.Expression);

    public bool Evaluate(SampleContext context)
    {
        foreach (var entry in _entries)
        {
            if (entry.Evaluate(context))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>One `acl` line: an expression and the compiled patterns, with converters applied by the matcher.</summary>
internal sealed class AclEntry
{
    private readonly SampleExpression _expression;
    private readonly PatternMatcher _matcher;

    public AclEntry(SampleExpression expression, PatternMatcher matcher)
    {
        _expression = expression;
        _matcher = expression.Wrap(matcher);
    }

    public SampleExpression Expression => _expression;

    public bool Evaluate(SampleContext context) => _expression.Fetch.AnyMatch(context, _matcher);
}
