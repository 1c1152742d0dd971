using System.CommandLine;
using Gatehouse.Cli.Stack;
using Gatehouse.Trust.Keys;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse keys list|rotate|retire</c>: manages the edge-assertion key directory.</summary>
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
        var list = new Command("list", "List keys with their state.");
        list.SetAction(result => Run(result.GetValue(directory)!, ring => Print(ring), mustExist: true));

        var activation = new Option<TimeSpan>("--activate-after")
        {
            Description = "Publish the new key now but sign with it only after this delay (for example 00:05:00).",
            DefaultValueFactory = _ => TimeSpan.Zero,
        };
        var rotate = new Command("rotate", "Add a new signing key.") { activation };
        rotate.SetAction(result => Run(result.GetValue(directory)!, ring =>
        {
            var key = ring.Rotate(result.GetValue(activation));
            Console.WriteLine($"added key {key.KeyId}");
        }));

        var keyId = new Argument<string>("kid") { Description = "Id of the key to retire." };
        var retire = new Command("retire", "Stop publishing a key; assertions signed with it are then rejected.") { keyId };
        retire.SetAction(result => Run(
            result.GetValue(directory)!,
            ring =>
            {
                ring.Retire(result.GetValue(keyId)!);
                Console.WriteLine($"retired key {result.GetValue(keyId)}");
            },
            mustExist: true));

        return new Command("keys", "Manage the edge-assertion signing keys.") { directory, list, rotate, retire };
    }

    private static int Run(string directory, Action<KeyRing> action, bool mustExist = false)
    {
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
