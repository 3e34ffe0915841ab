"""The API's Blueprint: flask-smorest's, with a JSON parser that never lets bad JSON become a 500."""

import json

import flask_smorest
from webargs.flaskparser import FlaskParser


class MarginsParser(FlaskParser):
    def _raw_load_json(self, req):
        """Numbers or nesting Python's json refuses (ValueError, RecursionError) are bad JSON too."""
        try:
            return super()._raw_load_json(req)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise
        except (ValueError, RecursionError) as error:
            self._handle_invalid_json_error(error, req)


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = MarginsParser()
