"""GET /healthz tells a load balancer whether this app server can serve."""

from sqlalchemy import create_engine, text

from server import create_app


def test_healthz_answers_ok_without_a_token(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json == {"status": "ok"}


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    missing = tmp_path / "no such folder" / "margins.sqlite3"
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}",
                      "MARGINS_AUTO_MIGRATE": False})
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503
    assert "MARGINS_DATABASE_URL" in answer.json["error"]["message"]


def test_healthz_is_503_when_the_schema_is_not_this_codes(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.test_client().get("/healthz").status_code == 200
    with create_engine(app.config["SQLALCHEMY_DATABASE_URI"]).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0002'"))
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503 and answer.json["error"]["code"] == "schema_not_current"
