"""The naive reference: the same endpoints as a typical FastAPI + SQLAlchemy ORM app would write them.

Async SQLAlchemy on ordergate's own drivers (asyncpg, aiosqlite), a session per request, the token looked
up on every request, ORM rows turned into dicts that FastAPI serialises. It answers with the stored
order JSON rather than HighLevel's wire shape, so it renders less than ordergate does.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import BigInteger, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ordergate.store.url import parse_database_url

engine = create_async_engine(parse_database_url(os.environ["BENCH_DATABASE_URL"]).sqlalchemy_url())
Session = async_sessionmaker(engine, expire_on_commit=False)
app = FastAPI()


class Base(DeclarativeBase):
    location_id: Mapped[str] = mapped_column(primary_key=True)
    id: Mapped[str] = mapped_column(primary_key=True)


class OrderRow(Base):
    __tablename__ = "orders"
    created_at: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str]
    payment_status: Mapped[str]
    contact_id: Mapped[str | None]
    search_text: Mapped[str]
    data: Mapped[str]


class TransactionRow(Base):
    __tablename__ = "transactions"
    order_id: Mapped[str]
    created_at: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[str]


class TokenRow(Base):
    __tablename__ = "tokens"
    token_hash: Mapped[str]
    revoked_at: Mapped[int | None]


class OrderFilters(BaseModel):
    status: str | None = None
    paymentStatus: str | None = None
    startAt: date | None = None
    endAt: date | None = None
    contactId: str | None = None
    search: str | None = None
    limit: int = 10
    offset: int = 0


async def get_db() -> AsyncIterator[AsyncSession]:
    async with Session() as session:
        yield session


Db = Annotated[AsyncSession, Depends(get_db)]


async def current_location(
    db: Db,
    alt_id: Annotated[str, Query(alias="altId")],
    authorization: str = Header(),
    version: str = Header(),
) -> str:
    if version != "2021-07-28":
        raise HTTPException(401, "version header is invalid")
    digest = hashlib.sha256(authorization.removeprefix("Bearer ").encode()).hexdigest()
    token = await db.scalar(
        select(TokenRow).where(TokenRow.token_hash == digest, TokenRow.revoked_at.is_(None))
    )
    if token is None or token.location_id != alt_id:
        raise HTTPException(401, "Invalid token")
    return token.location_id


Location = Annotated[str, Depends(current_location)]


async def page(db: AsyncSession, query: Select[Any], row: Any, limit: int, offset: int) -> dict[str, Any]:
    total = await db.scalar(select(func.count()).select_from(query.subquery()))
    query = query.order_by(row.created_at.desc(), row.id.desc()).limit(limit).offset(offset)
    return {"data": [json.loads(r.data) for r in await db.scalars(query)], "totalCount": total}


def epoch_ms(day: date, at: time) -> int:
    return int(datetime.combine(day, at, UTC).timestamp() * 1000)


@app.get("/payments/orders/{order_id}")
async def get_order(order_id: str, location: Location, db: Db) -> Any:
    order = await db.get(OrderRow, (location, order_id))
    if order is None:
        raise HTTPException(404, "Order not found")
    return json.loads(order.data)


@app.get("/payments/orders")
async def list_orders(location: Location, db: Db, f: Annotated[OrderFilters, Query()]) -> dict[str, Any]:
    query = select(OrderRow).where(OrderRow.location_id == location)
    if f.status:
        query = query.where(OrderRow.status == f.status)
    if f.paymentStatus:
        query = query.where(OrderRow.payment_status == f.paymentStatus)
    if f.startAt:
        query = query.where(OrderRow.created_at >= epoch_ms(f.startAt, time.min))
    if f.endAt:
        query = query.where(OrderRow.created_at <= epoch_ms(f.endAt, time.max))
    if f.contactId:
        query = query.where(OrderRow.contact_id == f.contactId)
    if f.search:
        query = query.where(OrderRow.search_text.contains(f.search.lower()))
    return await page(db, query, OrderRow, f.limit, f.offset)


@app.get("/payments/transactions")
async def list_transactions(
    location: Location,
    db: Db,
    entity_id: Annotated[str, Query(alias="entityId")],
    limit: int = 10,
    offset: int = 0,
) -> dict[str, Any]:
    query = select(TransactionRow).where(
        TransactionRow.location_id == location, TransactionRow.order_id == entity_id
    )
    return await page(db, query, TransactionRow, limit, offset)


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
