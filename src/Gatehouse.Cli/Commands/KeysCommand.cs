using System.CommandLine;
using Gatehouse.Cli.Stack;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Gatehouse.Trust.Keys;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// <c>gatehouse keys list|rotate|retire</c>: manages the edge-assertion key ring, in a key directory, or where
/// <c>--edge FILE</c> says: the Redis of its [redis] section when [keys] has store = "redis", else its key directory.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var directory = new Option<string>("--dir")
        {
            Description = "Key directory (default: .gatehouse/keys under the current directory).",
            DefaultValueFactory = _ => new RunFolder(RunFolder.DefaultRoot).KeyDirectory,
            Recursive = true,
        };
        var edge = new Option<string?>("--edge")
        {
            Description = "edge.toml whose [keys] and [redis] say where the key ring is (REDIS_PASSWORD and other variables come from the environment).",
            Recursive = true,
        };
        var list = new Command("list", "List keys with their state.");
        list.SetAction(result => Run(result, directory, edge, ring => Print(ring), mustExist: true));

        var activation = new Option<TimeSpan>("--activate-after")
        {
            Description = "Publish the new key now but sign with it only after this delay (for example 00:05:00).",
            DefaultValueFactory = _ => TimeSpan.Zero,
        };
        var rotate = new Command("rotate", "Add a new signing key.") { activation };
        rotate.SetAction(result => Run(result, directory, edge, ring =>
        {
            var key = ring.Rotate(result.GetValue(activation));
            Console.WriteLine($"added key {key.KeyId}");
        }));

        var keyId = new Argument<string>("kid") { Description = "Id of the key to retire." };
        var retire = new Command("retire", "Stop publishing a key; assertions signed with it are then rejected.") { keyId };
        retire.SetAction(result => Run(
            result,
            directory,
            edge,
            ring =>
            {
                ring.Retire(result.GetValue(keyId)!);
                Console.WriteLine($"retired key {result.GetValue(keyId)}");
            },
            mustExist: true));

        return new Command("keys", "Manage the edge-assertion signing keys.") { directory, edge, list, rotate, retire };
    }

    private static int Run(ParseResult result, Option<string> directoryOption, Option<string?> edgeOption, Action<KeyRing> action, bool mustExist = false)
    {
        var directory = result.GetValue(directoryOption)!;
        if (result.GetValue(edgeOption) is { } edgeToml)
        {
            return RunFromEdgeConfig(edgeToml, directory, action);
        }

        // Only rotate may create a key directory; list and retire must not invent keys.
        if (mustExist && !Directory.Exists(directory))
        {
            Console.Error.WriteLine($"no key directory at {directory}; ./gatehouse up creates one, or pass --dir");
            return 1;
        }

        try
        {
            action(KeyRing.OpenDirectory(directory));
            return 0;
        }
        catch (KeyRingException exception)
        {
            Console.Error.WriteLine(exception.Message);
            return 1;
        }
    }

    private static int RunFromEdgeConfig(string edgeToml, string defaultDirectory, Action<KeyRing> action)
    {
        try
        {
            var config = EdgeConfigLoader.Load(edgeToml);
            var (ring, connection) = EdgeStores.OpenKeyRingAsync(config, defaultDirectory, NullLogger.Instance).GetAwaiter().GetResult();
            try
            {
                action(ring);
                return 0;
            }
            finally
            {
                connection?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception exception) when (exception is EdgeConfigException or KeyRingException)
        {
            Console.Error.WriteLine(exception.Message);
            return 1;
        }
    }

    private static void Print(KeyRing ring)
    {
        Console.WriteLine($"{"KID",-28} {"STATUS",-9} {"CREATED",-20} {"ACTIVATES",-20} RETIRED");
        foreach (var key in ring.List())
        {
            Console.WriteLine(
                $"{key.KeyId,-28} {key.Status.ToString().ToLowerInvariant(),-9} {Iso(key.CreatedAt),-20} {Iso(key.ActivatesAt),-20} {(key.RetiredAt is { } retired ? Iso(retired) : "-")}");
        }
    }

    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
