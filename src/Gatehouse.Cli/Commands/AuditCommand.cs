using System.CommandLine;
using Gatehouse.Cli.Stack;
using Gatehouse.Telemetry.Audit;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// <c>gatehouse audit verify|show</c>: checks the hash chains and signed checkpoints of decision files, and
/// shows one request as both tiers recorded it. With no FILE arguments both read the run folder's
/// <c>run/*.jsonl</c>.
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var runFolder = new Option<string>("--run-dir")
        {
            Description = "Run folder whose run/*.jsonl files are read when no FILE is given (default: .gatehouse).",
            DefaultValueFactory = _ => RunFolder.DefaultRoot,
            Recursive = true,
        };
        return new Command("audit", "Verify and query the decision records.") { runFolder, CreateVerify(runFolder), CreateShow(runFolder) };
    }

    private static Command CreateVerify(Option<string> runFolder)
    {
        var files = new Argument<string[]>("FILE") { Description = "Decision files to verify.", Arity = ArgumentArity.ZeroOrMore };
        var keys = new Option<string?>("--keys")
        {
            Description = "Key directory whose keys signed the checkpoints (default: the run folder's keys).",
        };
        var jwks = new Option<string[]>("--jwks") { Description = "JWKS file(s) with more checkpoint keys, for keys kept elsewhere." };
        var allowUnsealed = new Option<bool>("--allow-unsealed")
        {
            Description = "Exit 0 when files are unsealed but otherwise intact, as the files of a running stack are.",
        };
        var command = new Command("verify", "Check the hash chain and signed checkpoint of each decision file. " +
            $"Exit code 0: all verified; 1: a file failed; {AuditVerifyHandler.Unsealed}: a file has no checkpoint yet.")
        {
            files, keys, jwks, allowUnsealed,
        };
        command.SetAction(result =>
        {
            var folder = new RunFolder(result.GetValue(runFolder)!);
            var resolver = AuditKeyResolver.Create(result.GetValue(keys) ?? folder.KeyDirectory, result.GetValue(jwks) ?? [], out var error);
            if (resolver is null)
            {
                Console.Error.WriteLine(error);
                return 1;
            }

            var paths = ResolveFiles(result.GetValue(files), folder);
            return paths is null ? 1 : AuditVerifyHandler.Run(paths, resolver, result.GetValue(allowUnsealed), Console.Out);
        });
        return command;
    }

    private static Command CreateShow(Option<string> runFolder)
    {
        var files = new Argument<string[]>("FILE") { Description = "Decision files to read.", Arity = ArgumentArity.ZeroOrMore };
        var requestId = new Option<string?>("--request-id") { Description = "Show the request with this X-Request-Id." };
        var subject = new Option<string?>("--subject") { Description = "Show requests of this authenticated subject." };
        var client = new Option<string?>("--client") { Description = "Show requests from this client address or CIDR network." };
        var since = new Option<string?>("--since") { Description = "Show requests from this time on: a duration back from now (10m, 2h, 7d) or an ISO 8601 time." };
        var decision = new Option<string?>("--decision") { Description = "Show requests with this decision (allow, deny, limit, penalty, static, guest, forward, ...)." };
        var json = new Option<bool>("--json") { Description = "Write JSON lines instead of a table." };
        var command = new Command("show", "Show decision records joined by request id, edge before balancer.")
        {
            files, requestId, subject, client, since, decision, json,
        };
        command.SetAction(result =>
        {
            DateTimeOffset? sinceTime = null;
            if (result.GetValue(since) is { } sinceText)
            {
                sinceTime = SinceParser.Parse(sinceText, DateTimeOffset.UtcNow, out var error);
                if (sinceTime is null)
                {
                    Console.Error.WriteLine(error);
                    return 1;
                }
            }

            var filter = new DecisionFilter
            {
                RequestId = result.GetValue(requestId),
                Subject = result.GetValue(subject),
                Client = result.GetValue(client),
                Since = sinceTime,
                Decision = result.GetValue(decision),
            };
            var paths = ResolveFiles(result.GetValue(files), new RunFolder(result.GetValue(runFolder)!));
            return paths is null ? 1 : AuditShowHandler.Run(paths, filter, result.GetValue(json), Console.Out, Console.Error);
        });
        return command;
    }

    /// <summary>Returns the given files, or the run folder's decision files; null after printing why there are none.</summary>
    private static IReadOnlyList<string>? ResolveFiles(string[]? files, RunFolder folder)
    {
        if (files is { Length: > 0 })
        {
            var missing = files.Where(file => !File.Exists(file)).ToList();
            foreach (var file in missing)
            {
                Console.Error.WriteLine($"decision file not found: {file}");
            }

            return missing.Count == 0 ? files : null;
        }

        var directory = Path.GetDirectoryName(folder.EdgeDecisionLog)!;
        var found = Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.jsonl").Order(StringComparer.Ordinal).ToList()
            : [];
        if (found.Count == 0)
        {
            Console.Error.WriteLine($"no decision files (*.jsonl) in {directory}; run ./gatehouse up first, or pass FILE arguments");
            return null;
        }

        return found;
    }
}
