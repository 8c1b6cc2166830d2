"""Store layer: SQLAlchemy models, engine and sessions, and the migrations runner. No Qt."""
