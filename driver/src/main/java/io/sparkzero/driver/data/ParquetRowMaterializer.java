package io.sparkzero.driver.data;

import java.util.function.LongConsumer;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Decodes the {@code id}, {@code label} and {@code features} columns of Parquet rows into one
 * reused {@link ParquetRowValues}, with converters written for these three columns: parquet-mr's
 * generic example {@code Group} would box every float of an array and keep a list per row.
 *
 * <p>{@code features} comes in the layouts that Spark reads as {@code binary} or {@code
 * array<float>} (the driver checked the schema with Spark's own converter): a {@code binary}; the
 * standard three-level list that Spark writes ({@code group (LIST) { repeated group list {
 * optional float element } }}, and its legacy {@code bag/array} names); a two-level list whose
 * repeated field is the float itself; a bare {@code repeated float}.
 */
final class ParquetRowMaterializer extends RecordMaterializer<ParquetRowValues> {

  private final ParquetRowValues row;
  private final RowConverter root;

  /**
   * @param projection the file's three columns, as {@link #projection} gives them
   * @param expectedFeatures sizes the float buffer; any row length still decodes
   */
  ParquetRowMaterializer(MessageType projection, int expectedFeatures) {
    row = new ParquetRowValues(expectedFeatures);
    Type features = projection.getType(ParquetColumns.FEATURES);
    root = new RowConverter(row, featuresConverter(features, row),
        features.isRepetition(Type.Repetition.REPEATED));
  }

  /** {@code fileSchema}'s three columns, in the order id, label, features, and no other. */
  static MessageType projection(MessageType fileSchema) {
    return new MessageType(fileSchema.getName(), fileSchema.getType(ParquetColumns.ID),
        fileSchema.getType(ParquetColumns.LABEL), fileSchema.getType(ParquetColumns.FEATURES));
  }

  @Override
  public ParquetRowValues getCurrentRecord() {
    return row;
  }

  @Override
  public GroupConverter getRootConverter() {
    return root;
  }

  private static Converter featuresConverter(Type features, ParquetRowValues row) {
    if (features.isPrimitive()) {
      return features.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY
          ? new BytesConverter(row) : new FloatConverter(row);
    }
    Type repeated = features.asGroupType().getType(0);
    // A repeated float is the element itself (two levels); a repeated group holds it (three).
    return new ListConverter(row, repeated.isPrimitive()
        ? new FloatConverter(row) : new ElementConverter(row));
  }

  /** The row: resets the values at its start. */
  private static final class RowConverter extends GroupConverter {
    private final ParquetRowValues row;
    private final Converter[] columns;
    private final boolean featuresAlwaysPresent;

    RowConverter(ParquetRowValues row, Converter features, boolean featuresAlwaysPresent) {
      this.row = row;
      this.columns = new Converter[] {new IntegerConverter(row::setId),
          new IntegerConverter(row::setLabel), features};
      // A bare repeated column has no null, only an empty list (as Spark reads it).
      this.featuresAlwaysPresent = featuresAlwaysPresent;
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return columns[fieldIndex];
    }

    @Override
    public void start() {
      row.reset();
      if (featuresAlwaysPresent) {
        row.featuresPresent();
      }
    }

    @Override
    public void end() {}
  }

  /** An {@code int} or {@code bigint} column (tinyint and smallint are stored as int32). */
  private static final class IntegerConverter extends PrimitiveConverter {
    private final LongConsumer target;

    IntegerConverter(LongConsumer target) {
      this.target = target;
    }

    @Override
    public void addInt(int value) {
      target.accept(value);
    }

    @Override
    public void addLong(long value) {
      target.accept(value);
    }
  }

  /** {@code features binary}: kept as bytes; scaled only for a row that passes the checks. */
  private static final class BytesConverter extends PrimitiveConverter {
    private final ParquetRowValues row;

    BytesConverter(ParquetRowValues row) {
      this.row = row;
    }

    @Override
    public void addBinary(Binary value) {
      // No copy where the decoder allows: the bytes are scaled before the next row is read.
      row.setBytes(value.getBytesUnsafe());
    }
  }

  /** The list group: present means non-null, even with no elements. */
  private static final class ListConverter extends GroupConverter {
    private final ParquetRowValues row;
    private final Converter repeated;

    ListConverter(ParquetRowValues row, Converter repeated) {
      this.row = row;
      this.repeated = repeated;
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return repeated;
    }

    @Override
    public void start() {
      row.featuresPresent();
    }

    @Override
    public void end() {}
  }

  /** The repeated group of a three-level list: one element, which may be null. */
  private static final class ElementConverter extends GroupConverter {
    private final ParquetRowValues row;
    private final PrimitiveConverter value = new PrimitiveConverter() {
      @Override
      public void addFloat(float v) {
        element = v;
        present = true;
      }
    };
    private float element;
    private boolean present;

    ElementConverter(ParquetRowValues row) {
      this.row = row;
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return value;
    }

    @Override
    public void start() {
      present = false;
    }

    @Override
    public void end() {
      if (present) {
        row.addFloat(element);
      } else {
        row.addNullElement();
      }
    }
  }

  /** A float that is an element by itself (never null). */
  private static final class FloatConverter extends PrimitiveConverter {
    private final ParquetRowValues row;

    FloatConverter(ParquetRowValues row) {
      this.row = row;
    }

    @Override
    public void addFloat(float value) {
      row.addFloat(value);
    }
  }
}
