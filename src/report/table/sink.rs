//! Rows into columns through serde: the same `Serialize` that writes a
//! row's CSV record pushes its fields into a [`Frame`]'s columns, checking
//! each field's name and type against the schema. And a frame's row as a
//! CSV record, each value serialised as the row type's field is (so that a
//! table read back and written again is the same bytes).

use serde::ser::{self, Impossible, Serialize, SerializeSeq, SerializeStruct, Serializer};

use super::{Frame, Kind, Values};

/// Why a row does not fit.
#[derive(Debug)]
pub(super) struct SinkError(String);

impl std::fmt::Display for SinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SinkError {}

impl ser::Error for SinkError {
    fn custom<T: std::fmt::Display>(msg: T) -> SinkError {
        SinkError(msg.to_string())
    }
}

type Result<T> = std::result::Result<T, SinkError>;

/// Pushes `row`'s fields onto `frame`'s columns (the caller counts the
/// row and undoes a partial push).
pub(super) fn push<T: Serialize + ?Sized>(frame: &mut Frame, row: &T) -> Result<()> {
    row.serialize(RowSink { frame, col: 0 })
}

struct RowSink<'a> {
    frame: &'a mut Frame,
    col: usize,
}

fn not_a_struct<T>() -> Result<T> {
    Err(SinkError("a row must be a struct of plain fields".into()))
}

macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ret> { not_a_struct() })*
    };
}

impl Serializer for RowSink<'_> {
    type Ok = ();
    type Error = SinkError;
    type SerializeSeq = Impossible<(), SinkError>;
    type SerializeTuple = Impossible<(), SinkError>;
    type SerializeTupleStruct = Impossible<(), SinkError>;
    type SerializeTupleVariant = Impossible<(), SinkError>;
    type SerializeMap = Impossible<(), SinkError>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), SinkError>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self> {
        Ok(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }

    refuse! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<()> {
        not_a_struct()
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<()> {
        not_a_struct()
    }
}

impl SerializeStruct for RowSink<'_> {
    type Ok = ();
    type Error = SinkError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        let Some(column) = self.frame.schema.get(self.col) else {
            return Err(SinkError(format!(
                "field `{key}` beyond the {} columns",
                self.frame.schema.len()
            )));
        };
        if column.name != key {
            return Err(SinkError(format!(
                "field `{key}` where column `{}` is expected",
                column.name
            )));
        }
        let name = column.name;
        value.serialize(CellSink {
            name,
            values: &mut self.frame.columns[self.col],
        })?;
        self.col += 1;
        Ok(())
    }

    fn end(self) -> Result<()> {
        match self.frame.schema.get(self.col) {
            Some(c) => Err(SinkError(format!("no field for column `{}`", c.name))),
            None => Ok(()),
        }
    }
}

/// One field into one column.
struct CellSink<'a> {
    name: &'static str,
    values: &'a mut Values,
}

impl CellSink<'_> {
    fn mismatch<T>(&self, what: &str) -> Result<T> {
        let kind = match self.values {
            Values::Utf8(_) => Kind::Utf8,
            Values::Int64(_) => Kind::Int64,
            Values::Float64(_) => Kind::Float64,
        };
        Err(SinkError(format!(
            "column `{}` is {kind:?}, the field is {what}",
            self.name
        )))
    }

    fn text(self, s: &str) -> Result<()> {
        match self.values {
            Values::Utf8(v) => {
                v.push(s.to_string());
                Ok(())
            }
            _ => self.mismatch("text"),
        }
    }

    fn int(self, i: i128) -> Result<()> {
        match self.values {
            Values::Int64(v) => {
                let i = i64::try_from(i).map_err(|_| {
                    SinkError(format!(
                        "column `{}`: {i} does not fit in 64 bits",
                        self.name
                    ))
                })?;
                v.push(i);
                Ok(())
            }
            _ => self.mismatch("an integer"),
        }
    }

    fn float(self, x: f64) -> Result<()> {
        match self.values {
            Values::Float64(v) => {
                v.push(x);
                Ok(())
            }
            _ => self.mismatch("a float"),
        }
    }
}

impl Serializer for CellSink<'_> {
    type Ok = ();
    type Error = SinkError;
    type SerializeSeq = Impossible<(), SinkError>;
    type SerializeTuple = Impossible<(), SinkError>;
    type SerializeTupleStruct = Impossible<(), SinkError>;
    type SerializeTupleVariant = Impossible<(), SinkError>;
    type SerializeMap = Impossible<(), SinkError>;
    type SerializeStruct = Impossible<(), SinkError>;
    type SerializeStructVariant = Impossible<(), SinkError>;

    fn serialize_str(self, v: &str) -> Result<()> {
        self.text(v)
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.text(variant)
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        self.float(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        self.float(v)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<()> {
        self.mismatch("a bool")
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<()> {
        self.mismatch("bytes")
    }
    fn serialize_none(self) -> Result<()> {
        self.mismatch("an empty Option (columns have no nulls)")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<()> {
        self.mismatch("an Option (columns have no nulls)")
    }
    fn serialize_unit(self) -> Result<()> {
        self.mismatch("()")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        self.mismatch("a unit struct")
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<()> {
        self.mismatch("an enum with data")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        self.mismatch("a sequence")
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        self.mismatch("a tuple")
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        self.mismatch("a tuple struct")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        self.mismatch("an enum with data")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        self.mismatch("a map")
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        self.mismatch("a struct")
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        self.mismatch("an enum with data")
    }
}

/// Row `row` of `frame` as a sequence of its values: serialised by the
/// CSV writer, each value as the row type's field serialises (strings as
/// strings, integers through `serialize_i64`, floats through
/// `serialize_f64`: csv's own shortest round-trip formatting).
pub(super) struct RowView<'a> {
    pub frame: &'a Frame,
    pub row: usize,
}

impl Serialize for RowView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.frame.columns.len()))?;
        for c in &self.frame.columns {
            match c {
                Values::Utf8(v) => seq.serialize_element(v[self.row].as_str())?,
                Values::Int64(v) => seq.serialize_element(&v[self.row])?,
                Values::Float64(v) => seq.serialize_element(&v[self.row])?,
            }
        }
        seq.end()
    }
}
