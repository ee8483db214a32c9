using System.Reflection;
using System.Reflection.Emit;

namespace MatrixTester.Diagnostics.Tests.Architecture;

/// <summary>
/// Every type one type refers to, with where the reference is: its base type and interfaces, the declaring type of a
/// nested type, attributes, fields, properties, events, method and constructor signatures, generic arguments and
/// constraints, and the types, methods and fields named in method bodies (read from the IL, so a local variable or a
/// static call counts as much as a field does).
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IEnumerable<(Type Target, string Via)> Of(Type type)
    {
        foreach (var t in Expand(type.BaseType))
        {
            yield return (t, "base type");
        }
        foreach (var t in type.GetInterfaces().SelectMany(Expand))
        {
            yield return (t, "interface");
        }
        foreach (var t in Expand(type.DeclaringType))
        {
            yield return (t, "nested in");
        }
        foreach (var t in Attributes(type.CustomAttributes))
        {
            yield return (t, "attribute");
        }
        if (type.IsGenericTypeDefinition)
        {
            foreach (var t in type.GetGenericArguments().SelectMany(a => a.GetGenericParameterConstraints()).SelectMany(Expand))
            {
                yield return (t, "generic constraint");
            }
        }
        foreach (var field in type.GetFields(Declared))
        {
            foreach (var t in Expand(field.FieldType).Concat(Attributes(field.CustomAttributes)))
            {
                yield return (t, $"field {field.Name}");
            }
        }
        foreach (var property in type.GetProperties(Declared))
        {
            foreach (var t in Expand(property.PropertyType).Concat(Attributes(property.CustomAttributes)))
            {
                yield return (t, $"property {property.Name}");
            }
        }
        foreach (var @event in type.GetEvents(Declared))
        {
            foreach (var t in Expand(@event.EventHandlerType))
            {
                yield return (t, $"event {@event.Name}");
            }
        }
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            foreach (var t in Signature(method))
            {
                yield return (t, $"signature of {method.Name}");
            }
            foreach (var t in Body(method))
            {
                yield return (t, $"body of {method.Name}");
            }
        }
    }

    private static IEnumerable<Type> Signature(MethodBase method)
    {
        var types = method.GetParameters().SelectMany(p => Expand(p.ParameterType).Concat(Attributes(p.CustomAttributes)))
            .Concat(Attributes(method.CustomAttributes));
        if (method is MethodInfo info)
        {
            types = types.Concat(Expand(info.ReturnType));
            if (info.IsGenericMethodDefinition)
            {
                types = types.Concat(info.GetGenericArguments().SelectMany(a => a.GetGenericParameterConstraints()).SelectMany(Expand));
            }
        }
        return types;
    }

    /// <summary>The types named by the operands of the method body's instructions (ldfld, call, newobj, box, ldtoken…).</summary>
    private static IEnumerable<Type> Body(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }
        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            var value = il[position] == 0xFE ? (short)(0xFE00 | il[position + 1]) : il[position];
            position += il[position] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue[value];
            if (opCode.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, position), typeArguments, methodArguments);
                foreach (var t in Member(member))
                {
                    yield return t;
                }
            }
            position += OperandSize(opCode.OperandType, il, position);
        }
    }

    private static IEnumerable<Type> Member(MemberInfo? member) => member switch
    {
        Type t => Expand(t),
        FieldInfo f => Expand(f.DeclaringType).Concat(Expand(f.FieldType)),
        MethodInfo m => Expand(m.DeclaringType).Concat(Signature(m)).Concat(m.IsGenericMethod ? m.GetGenericArguments().SelectMany(Expand) : []),
        ConstructorInfo c => Expand(c.DeclaringType).Concat(Signature(c)),
        _ => [],
    };

    private static int OperandSize(OperandType operand, byte[] il, int position) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };

    private static IEnumerable<Type> Attributes(IEnumerable<CustomAttributeData> attributes) =>
        attributes.SelectMany(a => Expand(a.AttributeType)
            .Concat(a.ConstructorArguments.Concat(a.NamedArguments.Select(n => n.TypedValue))
                .Select(v => v.Value).OfType<Type>().SelectMany(Expand)));

    /// <summary>A type and everything it is built from: element types of arrays, pointers and by-refs, and generic arguments.</summary>
    private static IEnumerable<Type> Expand(Type? type)
    {
        if (type is null || type.IsGenericParameter)
        {
            yield break;
        }
        if (type.HasElementType)
        {
            foreach (var t in Expand(type.GetElementType()))
            {
                yield return t;
            }
            yield break;
        }
        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var t in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return t;
            }
        }
    }
}
