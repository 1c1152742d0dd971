using System.Globalization;
using System.Text.RegularExpressions;
using Gatehouse.Edge.Feedback;
using Gatehouse.Signals.Feedback;

namespace Gatehouse.Edge.Configuration;

/// <summary>Reads one <c>[[feedback]]</c> section.</summary>
internal static partial class FeedbackReader
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxPollTimeout = TimeSpan.FromMinutes(1);
    private const int MaxNameLength = 64;

    public static FeedbackRule? Read(SectionReader reader)
    {
        var name = reader.RequiredString("name", "bad-clients");
        var table = reader.RequiredString("table", "per_ip");
        var whenText = reader.RequiredString("when", "gpt0 > 0");
        var actionText = reader.String("action", "penalty_box")!;
        var ttl = reader.Duration("ttl", TimeSpan.FromMinutes(5));
        var keyText = reader.String("key", "client_ip")!;
        var sourceText = reader.String("source", "push")!;
        var runtimeApi = reader.String("runtime_api");
        var interval = reader.Duration("interval", TimeSpan.FromSeconds(1));
        var timeout = reader.Duration("timeout", TimeSpan.FromSeconds(5));
        var limitPerSecond = reader.Integer("limit", 0, 1, 70_000_000);
        var window = reader.Duration("window", TimeSpan.FromSeconds(10));
        reader.ReportUnknownKeys();
        if (!reader.Has("name") || !reader.Has("table") || !reader.Has("when"))
        {
            return null;
        }

        var condition = ReadCondition(reader, name, whenText);
        var action = ReadAction(reader, name, actionText);
        var key = ReadKey(reader, name, keyText);
        var source = ReadSource(reader, name, sourceText, runtimeApi, interval, timeout);
        var limit = FeedbackLimitReader.Read(reader, name, action, limitPerSecond, window);
        var valid = ValidateTtl(reader, name, ttl) & ValidateName(reader, name);
        if (condition is null || action is null || key is null || source is null || !valid
            || (action == FeedbackEffect.RateLimit && limit is null))
        {
            return null;
        }

        if (action == FeedbackEffect.RequireSignIn && key != FeedbackKeyKind.ClientIp)
        {
            reader.Error(reader.LineOf("key"), $"feedback rule \"{name}\" with action = \"require_sign_in\" needs key = \"client_ip\", because a request on a public route has no subject");
            return null;
        }

        var signalAction = action == FeedbackEffect.RateLimit ? FeedbackAction.RateLimit : FeedbackAction.PenaltyBox;
        return new FeedbackRule(name, table, condition, signalAction, ttl, key.Value, reader.Line)
        {
            Effect = action.Value,
            Limit = limit,
            Source = source.Value,
            RuntimeApi = runtimeApi,
            Interval = interval,
            PollTimeout = timeout,
        };
    }

    private static FeedbackCondition? ReadCondition(SectionReader reader, string name, string text)
    {
        var match = ConditionPattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var threshold))
        {
            reader.Error(reader.LineOf("when"), $"key 'when' in feedback rule \"{name}\" must be COUNTER OP VALUE with OP one of >, >=, ==, for example when = \"gpt0 > 0\"; got \"{text}\"");
            return null;
        }

        var counter = match.Groups[1].Value;
        if (!FeedbackCounters.Known.Contains(counter))
        {
            reader.Error(reader.LineOf("when"), $"key 'when' in feedback rule \"{name}\" names unknown stick table data type '{counter}'; expected one of: {string.Join(", ", FeedbackCounters.Known)}");
            return null;
        }

        var op = match.Groups[2].Value switch
        {
            ">" => FeedbackOperator.GreaterThan,
            ">=" => FeedbackOperator.GreaterOrEqual,
            _ => FeedbackOperator.Equal,
        };
        return new FeedbackCondition(counter, op, threshold);
    }

    private static FeedbackEffect? ReadAction(SectionReader reader, string name, string text)
    {
        switch (text)
        {
            case "penalty_box":
                return FeedbackEffect.PenaltyBox;
            case "require_sign_in":
                return FeedbackEffect.RequireSignIn;
            case "rate_limit":
                return FeedbackEffect.RateLimit;
            default:
                reader.Error(reader.LineOf("action"), $"key 'action' in feedback rule \"{name}\" must be \"penalty_box\", \"require_sign_in\" or \"rate_limit\"; got \"{text}\"");
                return null;
        }
    }

    private static FeedbackKeyKind? ReadKey(SectionReader reader, string name, string text)
    {
        switch (text)
        {
            case "client_ip":
                return FeedbackKeyKind.ClientIp;
            case "subject":
                return FeedbackKeyKind.Subject;
            default:
                reader.Error(reader.LineOf("key"), $"key 'key' in feedback rule \"{name}\" must be \"client_ip\" or \"subject\", what the stick table is keyed by; got \"{text}\"");
                return null;
        }
    }

    private static FeedbackSourceKind? ReadSource(
        SectionReader reader, string name, string text, string? runtimeApi, TimeSpan interval, TimeSpan timeout)
    {
        switch (text)
        {
            case "push":
                if (new[] { "runtime_api", "interval", "timeout" }.FirstOrDefault(reader.Has) is { } key)
                {
                    reader.Error(reader.LineOf(key), $"key '{key}' in feedback rule \"{name}\" only applies with source = \"poll\"; remove it or set source = \"poll\"");
                    return null;
                }

                return FeedbackSourceKind.Push;
            case "poll":
                return ValidatePoll(reader, name, runtimeApi, interval) & ValidatePollTimeout(reader, name, timeout)
                    ? FeedbackSourceKind.Poll
                    : null;
            default:
                reader.Error(reader.LineOf("source"), $"key 'source' in feedback rule \"{name}\" must be \"push\" (the Gatehouse balancer) or \"poll\" (an HAProxy runtime API); got \"{text}\"");
                return null;
        }
    }

    private static bool ValidatePoll(SectionReader reader, string name, string? runtimeApi, TimeSpan interval)
    {
        var ok = true;
        if (runtimeApi is null)
        {
            reader.Error(reader.Line, $"feedback rule \"{name}\" with source = \"poll\" needs key 'runtime_api', for example runtime_api = \"unix:/run/haproxy/admin.sock\"");
            ok = false;
        }
        else if (RuntimeApiClient.ParseAddress(runtimeApi) is null)
        {
            reader.Error(reader.LineOf("runtime_api"), $"key 'runtime_api' in feedback rule \"{name}\" must be \"unix:/path/to/socket\" or \"tcp:IP:PORT\"; got \"{runtimeApi}\"");
            ok = false;
        }

        if (interval < MinInterval || interval > TimeSpan.FromHours(1))
        {
            reader.Error(reader.LineOf("interval"), $"key 'interval' in feedback rule \"{name}\" must be from \"100ms\" to \"1h\"");
            ok = false;
        }

        return ok;
    }

    private static bool ValidatePollTimeout(SectionReader reader, string name, TimeSpan timeout)
    {
        if (timeout < MinInterval || timeout > MaxPollTimeout)
        {
            reader.Error(reader.LineOf("timeout"), $"key 'timeout' in feedback rule \"{name}\" must be from \"100ms\" to \"1m\", the maximum time of one runtime API command");
            return false;
        }

        return true;
    }

    // The name is part of every penalty box entry and counter entry of the rule, which hold at most 256 bytes.
    private static bool ValidateName(SectionReader reader, string name)
    {
        if (name.Length > MaxNameLength)
        {
            reader.Error(reader.LineOf("name"), $"key 'name' in feedback rule \"{name[..20]}...\" must be at most {MaxNameLength} characters, because it is part of every penalty box entry of the rule; use a shorter name");
            return false;
        }

        return true;
    }

    private static bool ValidateTtl(SectionReader reader, string name, TimeSpan ttl)
    {
        if (ttl < TimeSpan.FromMinutes(1) || ttl > TimeSpan.FromMinutes(60) || ttl.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            reader.Error(reader.LineOf("ttl"), $"key 'ttl' in feedback rule \"{name}\" must be whole minutes from \"1m\" to \"60m\", because the penalty box keeps whole minutes");
            return false;
        }

        return true;
    }

    [GeneratedRegex(@"^\s*([a-z0-9_]+)\s*(>=|>|==)\s*([0-9]+)\s*$")]
    private static partial Regex ConditionPattern();
}
