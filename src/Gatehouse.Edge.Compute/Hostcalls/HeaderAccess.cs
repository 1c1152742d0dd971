using System.Text;
using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Http;
using Gatehouse.Edge.Compute.Runtime;
using Wasmtime;
using static Gatehouse.Edge.Compute.Hostcalls.HostcallArgs;

namespace Gatehouse.Edge.Compute.Hostcalls;

/// <summary>Header hostcalls shared by request and response handles; only the handle lookup differs.</summary>
internal static class HeaderAccess
{
    public static void Register(HostcallTable table, string module, Func<RequestState, int, HeaderList> headers)
    {
        table.Add(module, "header_names_get", (s, m, a) =>
            WriteMultiValue(m, headers(s, a.I(0)).Names(), a.I(1), a.I(2), a.I(3), a.I(4), a.I(5)));
        table.Add(module, "header_values_get", (s, m, a) =>
            WriteMultiValue(m, headers(s, a.I(0)).Values(a.Latin1(m, 1)), a.I(3), a.I(4), a.I(5), a.I(6), a.I(7)));
        table.Add(module, "header_value_get", (s, m, a) =>
        {
            var value = headers(s, a.I(0)).Values(a.Latin1(m, 1)).FirstOrDefault() ?? throw Fail(FastlyStatus.None);
            m.WriteBuffer(Encoding.Latin1.GetBytes(value), a.I(3), a.I(4), a.I(5));
        });
        table.Add(module, "header_insert", (s, m, a) => headers(s, a.I(0)).Insert(Name(m, a, 1), Value(m, a, 3)));
        table.Add(module, "header_append", (s, m, a) => headers(s, a.I(0)).Append(Name(m, a, 1), Value(m, a, 3)));
        table.Add(module, "header_remove", (s, m, a) =>
        {
            if (!headers(s, a.I(0)).Remove(Name(m, a, 1)))
            {
                throw Fail(FastlyStatus.InvalidArgument, "header not present");
            }
        });
        table.Add(module, "header_values_set", (s, m, a) =>
        {
            var list = headers(s, a.I(0));
            var name = Name(m, a, 1);
            list.Remove(name);
            foreach (var value in a.Latin1(m, 3).Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                list.Append(name, value);
            }
        });
    }

    /// <summary>
    /// Writes as many NUL-terminated items as fit, starting at <paramref name="cursor"/>, and stores the next
    /// cursor (-1 when all were written). When not even the first item fits, nwritten receives its size.
    /// </summary>
    public static void WriteMultiValue(
        GuestMemory memory, IReadOnlyList<string> items, int buffer, int capacity, int cursor, int endingCursorPointer, int nwrittenPointer)
    {
        var offset = 0;
        var next = (uint)cursor;
        for (; next < items.Count; next++)
        {
            var bytes = Encoding.Latin1.GetBytes(items[(int)next] + "\0");
            if (offset + bytes.Length > (uint)capacity)
            {
                if (offset == 0)
                {
                    memory.WriteU32(nwrittenPointer, (uint)bytes.Length);
                    throw Fail(FastlyStatus.BufferLength);
                }

                break;
            }

            bytes.CopyTo(memory.Slice(buffer + offset, bytes.Length));
            offset += bytes.Length;
        }

        memory.WriteI64(endingCursorPointer, next >= items.Count ? -1 : next);
        memory.WriteU32(nwrittenPointer, (uint)offset);
    }

    private static string Name(GuestMemory memory, ReadOnlySpan<ValueBox> args, int index)
    {
        var name = args.Latin1(memory, index);
        if (name.Length == 0 || name.Any(c => c <= ' ' || c >= '\x7f' || c == ':'))
        {
            throw Fail(FastlyStatus.HttpInvalid, "invalid header name");
        }

        return name;
    }

    private static string Value(GuestMemory memory, ReadOnlySpan<ValueBox> args, int index)
    {
        var value = args.Latin1(memory, index);
        if (value.Any(c => c is '\r' or '\n' or '\0'))
        {
            throw Fail(FastlyStatus.HttpInvalid, "invalid header value");
        }

        return value;
    }
}

/// <summary>Registers the header hostcalls of <c>fastly_http_req</c>.</summary>
internal static class RequestHeaderHostcalls
{
    public static void Register(HostcallTable table) =>
        HeaderAccess.Register(table, "fastly_http_req", (s, h) => s.Handles.Get<GuestRequest>(h).Headers);
}
