using Gatehouse.Edge.Compute.Abi;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>
/// Handles of one request. Every kind (request, response, body, pending request, store, ...) shares one
/// number space, because <c>fastly_async_io</c> takes handles of several kinds in one list.
/// </summary>
internal sealed class HandleTable
{
    // Handle 0 is never issued, so a zeroed out-parameter is never mistaken for a live handle.
    private readonly List<object?> _items = [null];

    public int Count => _items.Count - 1;

    public uint Add(object item)
    {
        _items.Add(item);
        return (uint)(_items.Count - 1);
    }

    public T Get<T>(int handle)
        where T : class
    {
        var index = (uint)handle;
        if (index < _items.Count && _items[(int)index] is T item)
        {
            return item;
        }

        throw new HostcallException(FastlyStatus.BadHandle, $"handle {index} is not a {typeof(T).Name}");
    }

    public object? Find(int handle)
    {
        var index = (uint)handle;
        return index < _items.Count ? _items[(int)index] : null;
    }

    public void Remove(int handle)
    {
        var index = (uint)handle;
        if (index < _items.Count)
        {
            _items[(int)index] = null;
        }
    }
}
