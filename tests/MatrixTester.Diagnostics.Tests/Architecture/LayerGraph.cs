using System.Reflection;

namespace MatrixTester.Diagnostics.Tests.Architecture;

/// <summary>One reference that crosses folders: <paramref name="From"/> (a type in one folder) uses <paramref name="To"/>.</summary>
internal sealed record Arrow(string FromFolder, string ToFolder, Type From, Type To, string Via)
{
    public override string ToString() => $"{FromFolder} → {ToFolder}: {From.FullName} uses {To.FullName} ({Via})";
}

/// <summary>
/// The folder dependency graph of an assembly: a type's folder is the first namespace segment under
/// <paramref name="rootNamespace"/> (namespaces follow folders in this repository), or "(root)" for the root
/// namespace itself. Types outside the root namespace (the framework, packages, compiler helpers) are not folders.
/// </summary>
internal sealed class LayerGraph(Assembly assembly, string rootNamespace)
{
    public const string Root = "(root)";

    private readonly Lazy<IReadOnlyList<Arrow>> _arrows = new(() => Scan(assembly, rootNamespace));

    /// <summary>Every cross-folder reference, one per (from type, to type) pair.</summary>
    public IReadOnlyList<Arrow> Arrows => _arrows.Value;

    public IReadOnlySet<string> Folders => Arrows.Select(a => a.FromFolder).Concat(Arrows.Select(a => a.ToFolder))
        .Concat(assembly.GetTypes().Select(t => FolderOf(t, rootNamespace)).OfType<string>()).ToHashSet();

    /// <summary>folder → the folders it depends on, sorted, for the lead's before/after note.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Edges =>
        Folders.Order(StringComparer.Ordinal).ToDictionary(f => f, f => (IReadOnlyList<string>)Arrows.Where(a => a.FromFolder == f)
            .Select(a => a.ToFolder).Distinct().Order(StringComparer.Ordinal).ToArray());

    /// <summary>The arrows <paramref name="allowed"/> does not list, with one example reference per forbidden arrow per type.</summary>
    public IReadOnlyList<Arrow> Violations(IReadOnlyDictionary<string, string[]> allowed) =>
        Arrows.Where(a => !allowed.TryGetValue(a.FromFolder, out var targets) || !targets.Contains(a.ToFolder))
            .DistinctBy(a => (a.From, a.ToFolder))
            .OrderBy(a => a.FromFolder, StringComparer.Ordinal).ThenBy(a => a.ToFolder, StringComparer.Ordinal)
            .ThenBy(a => a.From.FullName, StringComparer.Ordinal)
            .ToArray();

    public string Describe() => string.Join("\n", Edges.Select(e => $"{e.Key} → {(e.Value.Count == 0 ? "(nothing)" : string.Join(", ", e.Value))}"));

    /// <summary>A cycle in <paramref name="edges"/> as "A → B → A", or null when there is none.</summary>
    public static string? FindCycle(IReadOnlyDictionary<string, string[]> edges)
    {
        var state = new Dictionary<string, bool>(); // false: on the current path; true: done
        var path = new Stack<string>();
        foreach (var start in edges.Keys)
        {
            if (Visit(start) is { } cycle)
            {
                return cycle;
            }
        }
        return null;

        string? Visit(string node)
        {
            if (state.TryGetValue(node, out var done))
            {
                return done ? null : string.Join(" → ", path.Reverse().SkipWhile(n => n != node).Append(node));
            }
            state[node] = false;
            path.Push(node);
            foreach (var next in edges.GetValueOrDefault(node) ?? [])
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }
            path.Pop();
            state[node] = true;
            return null;
        }
    }

    public static string? FolderOf(Type type, string rootNamespace)
    {
        var ns = type.Namespace;
        if (ns == rootNamespace)
        {
            return Root;
        }
        if (ns is null || !ns.StartsWith(rootNamespace + ".", StringComparison.Ordinal))
        {
            return null;
        }
        return ns[(rootNamespace.Length + 1)..].Split('.')[0];
    }

    private static Arrow[] Scan(Assembly assembly, string rootNamespace)
    {
        var arrows = new List<Arrow>();
        foreach (var type in assembly.GetTypes())
        {
            if (FolderOf(type, rootNamespace) is not { } from)
            {
                continue;
            }
            foreach (var (target, via) in TypeReferences.Of(type))
            {
                if (target.Assembly == assembly && FolderOf(target, rootNamespace) is { } to && to != from)
                {
                    arrows.Add(new Arrow(from, to, type, target, via));
                }
            }
        }
        return arrows.DistinctBy(a => (a.From, a.To)).ToArray();
    }
}
