using System.Text;
using GradClip.Data;

namespace GradClip.Tests.Data;

public sealed class CsvDataLoaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private TabularData LoadText(string text, string? target = null, TaskKind? task = null) =>
        CsvDataLoader.Load(_folder.Write("data.csv", text), target, task);

    private DataFormatException Fails(string text, string? target = null, TaskKind? task = null) =>
        Assert.Throws<DataFormatException>(() => LoadText(text, target, task));

    private static float[] Floats(params float[] values) => values;

    // ---- good files ----

    [Fact]
    public void Reads_quoted_fields_with_commas_and_doubled_quotes_and_CRLF_line_ends()
    {
        var data = LoadText("\"x 1\",x2,label\r\n1.5,\"-2e-3\",\"a, b\"\r\n3,4,\"say \"\"hi\"\"\"\r\n\r\n\r\n");

        Assert.Equal(2, data.RowCount);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal(["x 1", "x2"], data.FeatureNames.ToArray());
        Assert.Equal(Floats(1.5f, -0.002f, 3, 4), data.Features);
        Assert.Equal(["a, b", "say \"hi\""], data.ClassNames.ToArray());
        Assert.Equal([0, 1], data.Labels.ToArray());
        Assert.Equal("label", data.TargetName);
        Assert.Equal(Path.Combine(_folder.Path, "data.csv"), data.Source);
    }

    [Fact]
    public void Reads_LF_line_ends_a_missing_final_line_end_spaces_around_fields_and_a_byte_order_mark()
    {
        var data = LoadText("\uFEFFa , b,y\n 1 , 2 ,p\n\n3,4, q");

        Assert.Equal(["a", "b"], data.FeatureNames.ToArray());
        Assert.Equal(Floats(1, 2, 3, 4), data.Features);
        Assert.Equal(["p", "q"], data.ClassNames.ToArray());
    }

    [Fact]
    public void Reads_from_a_stream_under_the_given_source_name()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("a,y\n1,0\n2,1\n"));

        var data = CsvDataLoader.Read(stream, "memory");

        Assert.Equal("memory", data.Source);
        Assert.Equal(Floats(1, 2), data.Features);
    }

    [Fact]
    public void Knows_the_line_each_row_was_read_from_past_blank_lines_and_quoted_line_breaks()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("a,y\n1,0\n\n2,\"x\ny\"\n3,1\n"));

        var data = CsvDataLoader.Read(stream, "memory");

        Assert.Equal([2, 4, 6], data.SourceLines.ToArray());
        Assert.Empty(BuiltInData.Shells(0).SourceLines);
    }

    [Fact]
    public void Maps_text_labels_to_classes_in_ordinal_order()
    {
        var data = LoadText("x,animal\n1,dog\n2,cat\n3,bird\n4,cat\n5,Zebra\n");

        Assert.Equal(["Zebra", "bird", "cat", "dog"], data.ClassNames.ToArray());
        Assert.Equal([3, 2, 1, 2, 0], data.Labels.ToArray());
        Assert.Equal(4, data.ClassCount);
        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Empty(data.Targets);
    }

    [Fact]
    public void Maps_integer_labels_to_classes_in_numeric_order_not_text_order()
    {
        var data = LoadText("x,y\n1,10\n2,2\n3,1\n4,2\n5,-1\n");

        Assert.Equal(["-1", "1", "2", "10"], data.ClassNames.ToArray());
        Assert.Equal([3, 2, 1, 2, 0], data.Labels.ToArray());
    }

    [Fact]
    public void Numeric_labels_of_equal_value_share_the_class_named_by_the_first_seen()
    {
        var data = LoadText("x,y\n1,1\n2,2\n3,1.0\n4,01\n");

        Assert.Equal(["1", "2"], data.ClassNames.ToArray());
        Assert.Equal([0, 1, 0, 0], data.Labels.ToArray());
    }

    [Fact]
    public void The_target_is_the_last_column_by_default()
    {
        var data = LoadText("a,b,c\n1,2,0\n3,4,1\n");

        Assert.Equal("c", data.TargetName);
        Assert.Equal(["a", "b"], data.FeatureNames.ToArray());
        Assert.Equal(Floats(1, 2, 3, 4), data.Features);
    }

    [Fact]
    public void A_target_named_in_the_middle_leaves_the_other_columns_as_features_in_order()
    {
        var data = LoadText("a,y,b\n1,no,2\n3,yes,4\n", target: "y");

        Assert.Equal("y", data.TargetName);
        Assert.Equal(["a", "b"], data.FeatureNames.ToArray());
        Assert.Equal(Floats(1, 2, 3, 4), data.Features);
        Assert.Equal(["no", "yes"], data.ClassNames.ToArray());
        Assert.Equal([0, 1], data.Labels.ToArray());
    }

    [Fact]
    public void Counts_line_breaks_inside_quoted_fields_when_reporting_later_lines()
    {
        var ex = Fails("x,y\n1,\"two\nlines\"\n2,\"a\r\nb\"\nbad,c\n");

        Assert.Equal(6, ex.Line);
        Assert.Equal("x", ex.Column);
    }

    // ---- task detection ----

    [Fact]
    public void Text_labels_mean_classification_and_the_reason_quotes_one()
    {
        var data = LoadText("x,y\n1,0\n2,spam\n3,1\n");

        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Contains("text such as 'spam' (line 3)", data.TaskReason);
        Assert.Equal(["0", "1", "spam"], data.ClassNames.ToArray());
    }

    [Fact]
    public void Few_whole_numbers_mean_classification()
    {
        var data = LoadText("x,y\n1,0\n2,1\n3,2\n4,1\n");

        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Contains("3 distinct whole numbers (at most 20)", data.TaskReason);
    }

    [Fact]
    public void Fractional_numbers_mean_regression_with_the_values_kept()
    {
        var data = LoadText("x,price\n1,2.5\n2,3\n3,-1.25\n");

        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Contains("fractional numbers such as 2.5", data.TaskReason);
        Assert.Equal(Floats(2.5f, 3, -1.25f), data.Targets);
        Assert.Empty(data.Labels);
        Assert.Empty(data.ClassNames);
    }

    [Fact]
    public void More_than_twenty_distinct_whole_numbers_mean_regression()
    {
        string rows = string.Concat(Enumerable.Range(0, 21).Select(i => $"{i},{i * 3}\n"));

        var data = LoadText("x,count\n" + rows);

        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Contains("more than 20 distinct whole numbers", data.TaskReason);
    }

    [Fact]
    public void A_given_task_overrides_detection()
    {
        var regression = LoadText("x,y\n1,0\n2,1\n", task: TaskKind.Regression);
        var classification = LoadText("x,y\n1,0.5\n2,1.5\n3,0.5\n", task: TaskKind.Classification);

        Assert.Equal(TaskKind.Regression, regression.Task);
        Assert.Equal("the task was given as regression", regression.TaskReason);
        Assert.Equal(Floats(0, 1), regression.Targets);
        Assert.Equal(TaskKind.Classification, classification.Task);
        Assert.Equal(["0.5", "1.5"], classification.ClassNames.ToArray());
        Assert.Equal([0, 1, 0], classification.Labels.ToArray());
    }

    // ---- errors ----

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = Path.Combine(_folder.Path, "absent.csv");

        var ex = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(path));

        Assert.Equal(path, ex.File);
        Assert.Null(ex.Line);
        Assert.Null(ex.Column);
        Assert.StartsWith($"{path}: no such file", ex.Message);
    }

    [Fact]
    public void A_folder_is_not_a_file()
    {
        var ex = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(_folder.Path));

        Assert.Equal($"{_folder.Path}: this is a folder, not a file", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\r\n  \n")]
    public void An_empty_file_says_so(string text)
    {
        var ex = Fails(text);

        Assert.Null(ex.Line);
        Assert.Contains("the file is empty", ex.Message);
    }

    [Fact]
    public void A_header_without_rows_says_so()
    {
        var ex = Fails("a,b,y\r\n\r\n");

        Assert.Equal("the file has a header but no data rows", ex.Problem);
    }

    [Fact]
    public void A_header_of_one_column_is_refused()
    {
        var ex = Fails("y\n1\n2\n");

        Assert.Equal(1, ex.Line);
        Assert.Contains("at least one feature column and a target column", ex.Message);
    }

    [Theory]
    [InlineData("a,b,y\n1,2,0\n3,4\n", 3, 2)]
    [InlineData("a,b,y\n1,2,0\n\n3,4,1,5,6\n", 4, 5)]
    public void A_ragged_row_says_how_many_fields_were_expected_and_found(string text, int line, int found)
    {
        var ex = Fails(text);

        Assert.Equal(line, ex.Line);
        Assert.Null(ex.Column);
        Assert.EndsWith($", line {line}: expected 3 fields, as in the header, but found {found}", ex.Message);
    }

    [Fact]
    public void A_word_in_a_feature_column_names_the_file_line_column_and_cell()
    {
        string path = _folder.Write("data.csv", "x1,x2,y\n1,2,0\n3,abc,1\n");

        var ex = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(path));

        Assert.Equal(path, ex.File);
        Assert.Equal(3, ex.Line);
        Assert.Equal("x2", ex.Column);
        Assert.Equal($"{path}, line 3, column 'x2': 'abc' is not a number", ex.Message);
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("inf")]
    [InlineData("-inf")]
    [InlineData("+Infinity")]
    [InlineData("-infinity")]
    [InlineData("∞")]
    public void NaN_and_infinity_in_a_feature_are_refused(string cell)
    {
        var ex = Fails($"x1,x2,y\n1,2,0\n3,{cell},1\n");

        Assert.Equal(3, ex.Line);
        Assert.Equal("x2", ex.Column);
        Assert.Equal($"'{cell}' is not a finite number; NaN and infinity are not allowed", ex.Problem);
    }

    [Fact]
    public void A_number_beyond_the_float_range_is_refused()
    {
        var ex = Fails("x,y\n1e39,0\n1,1\n");

        Assert.Equal(2, ex.Line);
        Assert.Equal("'1e39' is too large for a 32-bit float (at most about 3.4e38)", ex.Problem);
    }

    [Fact]
    public void An_empty_feature_cell_is_a_missing_value()
    {
        var ex = Fails("x1,x2,y\n1,,0\n");

        Assert.Equal("x2", ex.Column);
        Assert.Contains("the cell is empty (a missing value)", ex.Message);
    }

    [Theory]
    [InlineData("x,y\n1,\n2,1\n", "the target cell is empty; a row without a target can only be dropped")]
    [InlineData("x,y\n1,nan\n2,1\n", "'nan' is not a finite number; NaN and infinity are not allowed")]
    public void An_empty_or_NaN_target_is_refused(string text, string problem)
    {
        var ex = Fails(text);

        Assert.Equal(2, ex.Line);
        Assert.Equal("y", ex.Column);
        Assert.Equal(problem, ex.Problem);
    }

    [Fact]
    public void A_text_target_given_as_regression_names_the_first_text_cell()
    {
        var ex = Fails("x,y\n1,0.5\n2,high\n3,low\n", task: TaskKind.Regression);

        Assert.Equal(3, ex.Line);
        Assert.Equal("y", ex.Column);
        Assert.Equal("'high' is not a number, and the task is regression", ex.Problem);
    }

    [Fact]
    public void A_duplicate_column_name_gives_both_positions()
    {
        var ex = Fails("a,b,a,y\n1,2,3,0\n");

        Assert.Equal(1, ex.Line);
        Assert.Equal("a", ex.Column);
        Assert.Contains("the name is used twice in the header (columns 1 and 3)", ex.Message);
    }

    [Fact]
    public void An_empty_column_name_gives_its_position()
    {
        var ex = Fails("a,,y\n1,2,0\n");

        Assert.Equal(1, ex.Line);
        Assert.Equal("column 2 of the header has no name", ex.Problem);
    }

    [Fact]
    public void An_unknown_target_lists_the_columns()
    {
        var ex = Fails("a,b,label\n1,2,0\n", target: "class");

        Assert.Equal("class", ex.Column);
        Assert.Null(ex.Line);
        Assert.Contains("there is no such target column; the columns are 'a', 'b', 'label'", ex.Message);
    }

    [Fact]
    public void A_single_class_is_refused()
    {
        var ex = Fails("x,y\n1,cat\n2,cat\n");

        Assert.Equal("y", ex.Column);
        Assert.Contains("every row has the same label 'cat'; classification needs at least two classes", ex.Message);
    }

    [Fact]
    public void Too_many_distinct_labels_for_classification_are_refused()
    {
        string rows = string.Concat(Enumerable.Range(0, CsvDataLoader.MaxClasses + 1).Select(i => $"{i},L{i}\n"));

        var ex = Fails("x,y\n" + rows);

        Assert.Contains("more than 1000 distinct labels", ex.Message);
    }

    [Fact]
    public void An_unclosed_quote_names_the_line_where_it_opened()
    {
        var ex = Fails("x,y\n1,0\n2,\"open\n3,1\n");

        Assert.Equal(3, ex.Line);
        Assert.Equal("y", ex.Column);
        Assert.Contains("a quoted field is never closed", ex.Message);
    }

    [Fact]
    public void A_quote_inside_an_unquoted_field_is_refused()
    {
        var ex = Fails("x,y\n1,ab\"c\n");

        Assert.Equal(2, ex.Line);
        Assert.Equal("y", ex.Column);
        Assert.Contains("a \" inside an unquoted field", ex.Message);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_refused()
    {
        var ex = Fails("x,y\n\"1\"2,0\n");

        Assert.Equal(2, ex.Line);
        Assert.Equal("x", ex.Column);
        Assert.Contains("'2' after a closing quote", ex.Message);
    }

    [Fact]
    public void A_field_longer_than_the_limit_is_refused()
    {
        var ex = Fails("x,y\n1," + new string('a', CsvDataLoader.MaxFieldLength + 1) + "\n");

        Assert.Equal(2, ex.Line);
        Assert.Contains("a field is longer than 1000 characters", ex.Message);
    }

    [Fact]
    public void A_header_wider_than_the_column_limit_is_refused()
    {
        string header = string.Join(",", Enumerable.Range(0, CsvDataLoader.MaxColumns + 1).Select(i => $"c{i}"));

        var ex = Fails(header + "\n");

        Assert.Equal(1, ex.Line);
        Assert.Contains("the header has 10001 columns; at most 10000 are supported", ex.Message);
    }

    // ---- real-world layouts ----

    private static TabularData ReadText(string text, CsvOptions? options = null, string? target = null) =>
        CsvDataLoader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "data.csv", target, null, options);

    private static DataFormatException ReadFails(byte[] bytes, CsvOptions? options = null) =>
        Assert.Throws<DataFormatException>(() => CsvDataLoader.Read(new MemoryStream(bytes), "data.csv", null, null, options));

    [Theory]
    [InlineData("a;b;y\n1;2;x\n3;4;z\n", "semicolon-separated (detected)")]
    [InlineData("a\tb\ty\n1\t2\tx\n3\t4\tz\n", "tab-separated (detected)")]
    [InlineData("a,b,y\n1,2,x\n3,4,z\n", "comma-separated (detected)")]
    public void Detects_the_delimiter_and_says_which(string text, string layout)
    {
        var data = ReadText(text);

        Assert.Equal(["a", "b"], data.FeatureNames.ToArray());
        Assert.Equal(Floats(1, 2, 3, 4), data.Features);
        Assert.StartsWith(layout, data.Layout);
    }

    [Fact]
    public void Reads_a_semicolon_file_with_decimal_commas()
    {
        var data = ReadText("a;b;y\n1,5;-2,25;x\n3;4e-1;z\n");

        Assert.Equal(Floats(1.5f, -2.25f, 3, 0.4f), data.Features);
        Assert.Contains("decimal comma (detected)", data.Layout);
    }

    [Fact]
    public void A_given_delimiter_and_decimal_separator_override_detection()
    {
        var data = ReadText("a;y\n1.5;x\n2;z\n", new CsvOptions { Delimiter = ';', DecimalSeparator = '.' });

        Assert.Equal(Floats(1.5f, 2), data.Features);
        Assert.Equal("semicolon-separated, decimal point, header row", data.Layout);
    }

    [Fact]
    public void A_first_row_of_numbers_over_rows_of_numbers_is_refused_as_a_missing_header()
    {
        var ex = Assert.Throws<DataFormatException>(() => ReadText("5.1,3.5,0\n4.9,3.0,1\n6.2,2.9,0\n"));

        Assert.Equal(1, ex.Line);
        Assert.Contains("the first row (5.1, 3.5, 0) looks like data, not column names", ex.Message);
    }

    [Fact]
    public void Without_a_header_every_row_is_data_and_the_columns_are_named_c0_c1()
    {
        var data = ReadText("5.1,3.5,setosa\n4.9,3.0,virginica\n", new CsvOptions { HasHeader = false });

        Assert.Equal(2, data.RowCount);
        Assert.Equal(["c0", "c1"], data.FeatureNames.ToArray());
        Assert.Equal("c2", data.TargetName);
        Assert.Contains("no header", data.Layout);
    }

    [Fact]
    public void A_header_of_numbers_is_read_as_names_when_the_options_say_so()
    {
        var data = ReadText("0,1,2\n1,2,0\n3,4,1\n", new CsvOptions { HasHeader = true });

        Assert.Equal(["0", "1"], data.FeatureNames.ToArray());
        Assert.Equal(2, data.RowCount);
    }

    [Fact]
    public void Reads_the_scikit_learn_first_line_as_counts_and_class_names()
    {
        var data = ReadText("3,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n7,3.2,4.7,1.4,1\n6.3,3.3,6,2.5,2\n");

        Assert.Equal(3, data.RowCount);
        Assert.Equal(["c0", "c1", "c2", "c3"], data.FeatureNames.ToArray());
        Assert.Equal(["setosa", "versicolor", "virginica"], data.ClassNames.ToArray());
        Assert.Equal([0, 1, 2], data.Labels.ToArray());
        Assert.Equal(5.1f, data.Features[0]);
        Assert.Contains("scikit-learn", data.Layout);
    }

    [Fact]
    public void An_invalid_utf8_byte_names_its_line_and_offset()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes("x,y\n1,caf"), 0xE9, .. Encoding.ASCII.GetBytes("\n2,cafe\n")];

        var ex = ReadFails(bytes);

        Assert.Equal(2, ex.Line);
        Assert.Contains("byte 9 (0xE9) is not valid UTF-8", ex.Message);
    }

    [Fact]
    public void Latin1_text_is_read_when_the_encoding_is_named_so_accents_keep_classes_apart()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes("x,y\n1,caf"), 0xE9, .. Encoding.ASCII.GetBytes("\n2,cafe\n")];

        var data = CsvDataLoader.Read(new MemoryStream(bytes), "data.csv", options: new CsvOptions { Encoding = Encoding.Latin1 });

        Assert.Equal(["cafe", "café"], data.ClassNames.ToArray());
    }

    [Fact]
    public void A_number_followed_by_a_nul_character_is_not_a_number()
    {
        var ex = Assert.Throws<DataFormatException>(() => ReadText("x,y\n2.5\0,0\n1,1\n"));

        Assert.Equal(2, ex.Line);
        Assert.Equal("x", ex.Column);
        Assert.Contains("is not a number", ex.Message);
    }

    [Fact]
    public void Ignored_columns_are_read_past()
    {
        var data = ReadText("id,note,a,y\n17,\"free, text\",2,x\n18,,3,z\n", new CsvOptions { IgnoreColumns = ["id", "note"] });

        Assert.Equal(["a"], data.FeatureNames.ToArray());
        Assert.Equal(Floats(2, 3), data.Features);
    }

    [Fact]
    public void An_ignored_column_that_does_not_exist_is_named()
    {
        var ex = Assert.Throws<DataFormatException>(() => ReadText("a,y\n1,x\n2,z\n", new CsvOptions { IgnoreColumns = ["id"] }));

        Assert.Equal("id", ex.Column);
        Assert.Contains("no such column; the columns are 'a', 'y'", ex.Message);
    }

    [Fact]
    public void Every_bad_cell_is_listed_with_its_line_and_column_up_to_twenty()
    {
        var ex = Assert.Throws<DataFormatException>(() => ReadText("a,b,y\n,1,x\n2,abc,z\n,,x\n"));

        Assert.Contains("4 cells are not usable numbers: line 2, column 'a': the cell is empty", ex.Message);
        Assert.Contains("line 3, column 'b': 'abc' is not a number", ex.Message);
        Assert.Contains("line 4, column 'a'", ex.Message);
        Assert.Contains("line 4, column 'b'", ex.Message);

        var many = Assert.Throws<DataFormatException>(() => ReadText("a,y\n" + string.Concat(Enumerable.Repeat(",x\n1,z\n", 25))));
        Assert.Contains("25 cells are not usable numbers", many.Message);
        Assert.Contains("line 40, column 'a'", many.Message);
        Assert.DoesNotContain("line 42,", many.Message);
        Assert.EndsWith(", and 5 more", many.Message);
    }

    [Fact]
    public void Dropping_missing_values_leaves_out_their_rows()
    {
        var data = ReadText("a,b,y\n1,,x\n2,3,z\n,4,x\n5,6,\n7,8,x\n", new CsvOptions { Missing = MissingValues.Drop });

        Assert.Equal(Floats(2, 3, 7, 8), data.Features);
    }

    [Fact]
    public void Mean_filling_keeps_missing_cells_as_NaN_for_the_imputer()
    {
        var data = ReadText("a,b,y\n1,,x\n2,3,z\n", new CsvOptions { Missing = MissingValues.Mean });

        Assert.Equal(Floats(1, float.NaN, 2, 3), data.Features);
        Assert.True(MeanImputer.HasMissing(data));
    }

    [Fact]
    public void Arbitrary_bytes_give_a_dataset_or_a_data_format_exception_and_nothing_else()
    {
        var random = new Random(7);
        byte[] alphabet = Encoding.UTF8.GetBytes("0123456789,,,\"\"\r\n\n.-+eEnaifxy \t");
        byte[] valid = Encoding.UTF8.GetBytes("a,b,y\r\n1.5,\"2\",cat\n3,4e1,dog\n");
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] bytes = (trial % 3) switch
            {
                0 => RandomBytes(random, random.Next(0, 64), null),
                1 => RandomBytes(random, random.Next(0, 64), alphabet),
                _ => Mutate(random, valid),
            };
            using var stream = new MemoryStream(bytes);
            try
            {
                CsvDataLoader.Read(stream, "fuzz.csv");
            }
            catch (DataFormatException e)
            {
                Assert.Equal("fuzz.csv", e.File);
                Assert.StartsWith("fuzz.csv", e.Message);
            }
        }
    }

    private static byte[] RandomBytes(Random random, int length, byte[]? alphabet)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        if (alphabet is not null)
        {
            for (int i = 0; i < length; i++)
            {
                bytes[i] = alphabet[bytes[i] % alphabet.Length];
            }
        }
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        byte[] bytes = (byte[])valid.Clone();
        int changes = random.Next(1, 4);
        for (int i = 0; i < changes; i++)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        }
        return bytes;
    }
}
