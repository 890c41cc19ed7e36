using GradClip.Cli.Export.Onnx;
using GradClip.Tensors;

namespace GradClip.Cli.Export;

/// <summary>Builds an ONNX graph node by node: float initializers, operator nodes and the graph's float inputs and outputs.</summary>
internal sealed class OnnxGraph
{
    /// <summary>The name of the first dimension of every input and output: the number of rows, chosen by the caller.</summary>
    public const string RowsDimension = "rows";

    /// <summary>The graph as built so far.</summary>
    public GraphProto Proto { get; }

    /// <summary>An empty graph named <paramref name="name"/>.</summary>
    public OnnxGraph(string name) => Proto = new GraphProto { Name = name };

    /// <summary>Adds the input <paramref name="name"/> of <paramref name="width"/> floats per row.</summary>
    public void Input(string name, int width) => Proto.Input.Add(RowsOf(name, width));

    /// <summary>Adds the output <paramref name="name"/> of <paramref name="width"/> floats per row.</summary>
    public void Output(string name, int width) => Proto.Output.Add(RowsOf(name, width));

    /// <summary>Adds a constant float tensor of shape <paramref name="dims"/> holding <paramref name="values"/>; returns its name.</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values.ToArray());
        Proto.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a node applying <paramref name="op"/> to <paramref name="inputs"/>, writing <paramref name="output"/>; returns the output's name.</summary>
    public string Node(string op, string output, string[] inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Proto.Node.Add(node);
        return output;
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static ValueInfoProto RowsOf(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = RowsDimension });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
