from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor
LABEL_UK_FIELD_NUMBER: _ClassVar[int]
label_uk: _descriptor.FieldDescriptor
LABEL_EN_FIELD_NUMBER: _ClassVar[int]
label_en: _descriptor.FieldDescriptor
CODE_FIELD_NUMBER: _ClassVar[int]
code: _descriptor.FieldDescriptor
