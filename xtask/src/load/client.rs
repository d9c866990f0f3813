//! A small blocking client of the API: JSON in and out, the session cookie and CSRF token of
//! a signed-in account, and a server address that changes when the server restarts on
//! another port, so every thread follows it.
//!
//! ureq rather than HTTP/1.1 written by hand over a `TcpStream`: it keeps connections alive
//! (the load measures the server, not TCP handshakes) and reads every framing an answer can
//! have, both easy to get subtly wrong in a hand-written client.

use anyhow::{bail, Context, Result};
use serde::{de::DeserializeOwned, Serialize};
use shared::{
    account::{LoginRequest, Session, CSRF_HEADER, SESSION_COOKIE},
    api::ErrorBody,
};
use std::{
    sync::{Arc, RwLock},
    time::Duration,
};

/// Where the server answers now (`http://127.0.0.1:PORT`), shared by every thread.
#[derive(Debug, Clone)]
pub struct Address(Arc<RwLock<String>>);

impl Address {
    pub fn new(url: String) -> Address {
        Address(Arc::new(RwLock::new(url)))
    }

    pub fn set(&self, url: String) {
        *self.0.write().expect("address lock") = url;
    }

    fn get(&self) -> String {
        self.0.read().expect("address lock").clone()
    }
}

/// What a signed-in account sends with each request.
#[derive(Debug, Clone)]
pub struct SignedIn {
    cookie: String,
    csrf_token: String,
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    /// The stable code of an error answer.
    pub fn error_code(&self) -> Option<String> {
        serde_json::from_str::<ErrorBody>(&self.body)
            .ok()
            .map(|e| e.error.code)
    }
}

/// One thread's connection to the server.
pub struct Client {
    agent: ureq::Agent,
    address: Address,
}

impl Client {
    pub fn new(address: &Address) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build();
        Client {
            agent: config.into(),
            address: address.clone(),
        }
    }

    /// `POST /api/v1{path}` with a JSON body; `Err` when no HTTP answer came.
    pub fn post(
        &self,
        path: &str,
        who: Option<&SignedIn>,
        body: &impl Serialize,
    ) -> Result<Reply, ureq::Error> {
        let body = serde_json::to_string(body).expect("requests serialize");
        let mut request = self
            .agent
            .post(format!("{}/api/v1{path}", self.address.get()))
            .header("content-type", "application/json");
        if let Some(who) = who {
            request = request
                .header("cookie", &who.cookie)
                .header(CSRF_HEADER, &who.csrf_token);
        }
        read(request.send(body)?)
    }

    /// `GET /api/v1{path}`; `Err` when no HTTP answer came.
    pub fn get(&self, path: &str, who: Option<&SignedIn>) -> Result<Reply, ureq::Error> {
        let mut request = self
            .agent
            .get(format!("{}/api/v1{path}", self.address.get()));
        if let Some(who) = who {
            request = request.header("cookie", &who.cookie);
        }
        read(request.call()?)
    }

    /// A POST that must answer `expected`, its answer read as `T`.
    pub fn post_expecting<T: DeserializeOwned>(
        &self,
        path: &str,
        who: Option<&SignedIn>,
        body: &impl Serialize,
        expected: u16,
    ) -> Result<T> {
        let reply = self
            .post(path, who, body)
            .with_context(|| format!("POST {path}"))?;
        parse(&format!("POST {path}"), reply, expected)
    }

    /// A GET that must answer 200, its answer read as `T`.
    pub fn get_ok<T: DeserializeOwned>(&self, path: &str, who: Option<&SignedIn>) -> Result<T> {
        let reply = self.get(path, who).with_context(|| format!("GET {path}"))?;
        parse(&format!("GET {path}"), reply, 200)
    }

    /// Signs in: the session cookie and CSRF token to send from now on.
    pub fn sign_in(&self, login: &str, password: &str) -> Result<SignedIn> {
        let request = LoginRequest {
            login: login.into(),
            password: password.into(),
        };
        let path = format!("{}/api/v1/auth/login", self.address.get());
        let mut response = self
            .agent
            .post(&path)
            .header("content-type", "application/json")
            .send(serde_json::to_string(&request)?)
            .context("POST /auth/login")?;
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|pair| pair.starts_with(&format!("{SESSION_COOKIE}=")))
            .map(str::to_string);
        let reply = Reply {
            status: response.status().as_u16(),
            body: response.body_mut().read_to_string()?,
        };
        let session: Session = parse("POST /auth/login", reply, 200)?;
        let Some(cookie) = cookie else {
            bail!("signing in as {login}: no {SESSION_COOKIE} cookie in the answer");
        };
        Ok(SignedIn {
            cookie,
            csrf_token: session.csrf_token,
        })
    }
}

fn read(mut response: ureq::http::Response<ureq::Body>) -> Result<Reply, ureq::Error> {
    Ok(Reply {
        status: response.status().as_u16(),
        body: response.body_mut().read_to_string()?,
    })
}

fn parse<T: DeserializeOwned>(what: &str, reply: Reply, expected: u16) -> Result<T> {
    if reply.status != expected {
        bail!(
            "{what}: expected {expected}, got {}: {}",
            reply.status,
            reply.body
        );
    }
    serde_json::from_str(&reply.body).with_context(|| format!("{what}: reading {}", reply.body))
}
