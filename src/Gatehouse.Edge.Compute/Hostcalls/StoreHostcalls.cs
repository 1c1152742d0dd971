using System.Text;
using Gatehouse.Edge.Compute.Abi;
using static Gatehouse.Edge.Compute.Hostcalls.HostcallArgs;

namespace Gatehouse.Edge.Compute.Hostcalls;

/// <summary><c>fastly_config_store</c>, <c>fastly_dictionary</c> and <c>fastly_secret_store</c>.</summary>
internal static class StoreHostcalls
{
    public static void Register(HostcallTable table)
    {
        foreach (var module in new[] { "fastly_config_store", "fastly_dictionary" })
        {
            table.Add(module, "open", (s, m, a) =>
            {
                var name = a.Str(m, 0);
                var store = s.Environment.ConfigStores.TryGetValue(name, out var found)
                    ? found
                    : throw Fail(FastlyStatus.BadHandle, $"no config store named '{name}'");
                m.WriteU32(a.I(2), s.Handles.Add(new ConfigStoreHandle(store)));
            });
            table.Add(module, "get", (s, m, a) =>
            {
                var store = s.Handles.Get<ConfigStoreHandle>(a.I(0)).Values;
                var value = store.TryGetValue(a.Str(m, 1), out var found) ? found : throw Fail(FastlyStatus.None);
                m.WriteBuffer(Encoding.UTF8.GetBytes(value), a.I(3), a.I(4), a.I(5));
            });
        }

        const string secrets = "fastly_secret_store";
        table.Add(secrets, "open", (s, m, a) =>
        {
            var name = a.Str(m, 0);
            var store = s.Environment.SecretStores.TryGetValue(name, out var found)
                ? found
                : throw Fail(FastlyStatus.BadHandle, $"no secret store named '{name}'");
            m.WriteU32(a.I(2), s.Handles.Add(new SecretStoreHandle(store)));
        });
        table.Add(secrets, "get", (s, m, a) =>
        {
            var store = s.Handles.Get<SecretStoreHandle>(a.I(0)).Values;
            var value = store.TryGetValue(a.Str(m, 1), out var found) ? found : throw Fail(FastlyStatus.None);
            m.WriteU32(a.I(3), s.Handles.Add(new SecretHandle(Encoding.UTF8.GetBytes(value))));
        });
        table.Add(secrets, "plaintext", (s, m, a) =>
            m.WriteBuffer(s.Handles.Get<SecretHandle>(a.I(0)).Plaintext, a.I(1), a.I(2), a.I(3)));
        table.Add(secrets, "from_bytes", (s, m, a) =>
            m.WriteU32(a.I(2), s.Handles.Add(new SecretHandle(m.ReadBytes(a.I(0), a.I(1))))));
    }

    private sealed record ConfigStoreHandle(IReadOnlyDictionary<string, string> Values);

    private sealed record SecretStoreHandle(IReadOnlyDictionary<string, string> Values);

    private sealed class SecretHandle(byte[] plaintext)
    {
        public byte[] Plaintext { get; } = plaintext;
    }
}
